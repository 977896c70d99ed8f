// The types an agent column may have. Most are plain numbers; a Coded16 column keeps a value in 16
// bits that the model reads as an int32 or a float (a day, core/day16.hpp; a fixed-point value,
// core/fixed16.hpp), and its Coding says what each code stands for and how the result file holds
// it, so that writers, traces and tests need not know the C++ type.
#pragma once

#include <concepts>
#include <cstdint>
#include <type_traits>

namespace sarcosim {

enum class ColumnType { U8, I16, U16, I32, U32, F32, F64, Coded16 };

struct Coding {
  ColumnType written_as = ColumnType::U16;  // I32 or F32
  double (*value)(std::uint16_t code) = nullptr;
};

// A 16-bit type with a static `kCoding`.
template <class T>
concept Coded16Value = sizeof(T) == 2 && std::is_trivially_copyable_v<T>&& requires {
  { T::kCoding } -> std::convertible_to<Coding>;
};

template <class T>
constexpr ColumnType column_type_of() {
  if constexpr (std::is_same_v<T, std::uint8_t>)
    return ColumnType::U8;
  else if constexpr (std::is_same_v<T, std::int16_t>)
    return ColumnType::I16;
  else if constexpr (std::is_same_v<T, std::uint16_t>)
    return ColumnType::U16;
  else if constexpr (std::is_same_v<T, std::int32_t>)
    return ColumnType::I32;
  else if constexpr (std::is_same_v<T, std::uint32_t>)
    return ColumnType::U32;
  else if constexpr (std::is_same_v<T, float>)
    return ColumnType::F32;
  else if constexpr (std::is_same_v<T, double>)
    return ColumnType::F64;
  else if constexpr (Coded16Value<T>)
    return ColumnType::Coded16;
  else
    static_assert(sizeof(T) == 0, "not a column type");
}

}  // namespace sarcosim
