// The page's words for a divergence the engine reports as data (nnplay::Divergence), in the UI
// language. Not the detection (engine/src/session.cpp).
#pragma once
#include <string>
#include "nnplay/session.h"

std::string divergence_text(const nnplay::Divergence& d);  // what happened, where, and what to try
