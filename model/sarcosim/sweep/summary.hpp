// `sarcosim sweep summarise`: how outcomes change with each varied parameter. For every
// parameter, the mean of each headline outcome by level (grids and lists); for sampled sweeps
// (Latin hypercube, Sobol) the partial rank correlation coefficient (PRCC) of each parameter with
// each outcome, the usual tornado-table measure of global sensitivity.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace sarcosim {

// PRCC of column j of x with y: rank-transform, remove the linear effect of the other columns
// from both, correlate the residuals.
double partial_rank_correlation(const std::vector<std::vector<double>>& x, std::size_t j,
                                const std::vector<double>& y);

void print_sweep_summary(const std::filesystem::path& dir, std::ostream& out);

}  // namespace sarcosim
