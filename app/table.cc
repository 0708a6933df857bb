#include "table.h"

#include <sstream>
#include <vector>

namespace expectmatch::app {
namespace {

// Display width of UTF-8 text, counting code points (French text has no wide characters).
size_t Width(const std::string& text) {
  size_t width = 0;
  for (unsigned char ch : text) width += (ch & 0xC0) != 0x80;
  return width;
}

// Cuts `text` to at most `width` code points, marking the cut with "…".
std::string Fit(const std::string& text, size_t width) {
  if (Width(text) <= width) return text;
  std::string out;
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char ch = static_cast<unsigned char>(text[i]);
    if ((ch & 0xC0) != 0x80 && ++count > width - 1) break;
    out += text[i];
  }
  return out + "…";
}

std::string Pad(const std::string& text, size_t width, bool right = false) {
  size_t w = Width(text);
  std::string padding(w < width ? width - w : 0, ' ');
  return right ? padding + text : text + padding;
}

constexpr const char* kFeatureHeaders[matcher::kFeatureCount] = {"Thém.", "Prés.", "Part.",
                                                                 "Réf.",  "Lang.", "Dispo."};

}  // namespace

std::string FormatRankingTable(const matcher::Ranking& ranking, const matcher::Catalogue& catalogue,
                               const matcher::Need& need) {
  std::ostringstream out;
  out << "Besoin " << need.id << " — " << catalogue.CountryName(need.country);
  if (!need.partner.name.empty()) out << ", " << need.partner.name;
  out << " (" << matcher::FormatIsoDate(need.period.start) << " → "
      << matcher::FormatIsoDate(need.period.end) << ")\n";
  out << "Profil « " << ranking.profile.name << " » v" << ranking.profile.version << " ; "
      << ranking.eligible << " collectivités éligibles sur " << ranking.considered << "\n\n";

  const size_t name_width = 42;
  out << Pad("Rang", 5) << Pad("Collectivité", name_width) << Pad("Score", 7, true);
  for (const char* header : kFeatureHeaders) out << Pad(header, 7, true);
  out << "\n";
  for (size_t rank = 0; rank < ranking.candidates.size(); ++rank) {
    const matcher::Candidate& candidate = ranking.candidates[rank];
    const matcher::Collectivite& c = catalogue.collectivites()[candidate.collectivite];
    out << Pad(std::to_string(rank + 1), 5) << Pad(Fit(c.name, name_width - 1), name_width)
        << Pad(matcher::FormatFrench(candidate.score, 3), 7, true);
    for (double value : candidate.values) out << Pad(matcher::FormatFrench(value, 2), 7, true);
    out << "\n";
    for (const std::string& reason : candidate.reasons) {
      if (!reason.empty()) out << "       · " << reason << "\n";
    }
  }
  if (ranking.candidates.empty()) out << "(aucune collectivité éligible)\n";

  out << "\nExclues :";
  bool any = false;
  for (size_t f = 0; f < matcher::kFilterCount; ++f) {
    if (ranking.excluded_counts[f] == 0) continue;
    out << (any ? " ; " : " ") << matcher::FilterLabelFrench(static_cast<matcher::Filter>(f))
        << " : " << ranking.excluded_counts[f];
    any = true;
  }
  out << (any ? "\n" : " aucune\n");
  for (const matcher::Exclusion& exclusion : ranking.excluded) {
    out << "  - " << catalogue.collectivites()[exclusion.collectivite].name << " : "
        << matcher::FilterLabelFrench(exclusion.filter) << "\n";
  }
  return out.str();
}

}  // namespace expectmatch::app
