#include "expectmatch/understanding/partners.h"

namespace expectmatch::understanding {

// Placeholder until the resolver lands.
const double PartnerResolver::kResolveThreshold = 1.0;

struct PartnerDirectory::Index {};

PartnerDirectory::PartnerDirectory(const matcher::Dataset&, std::span<const PartnerAlias>,
                                   std::span<const PartnerMerge>) {}

const PartnerEntity* PartnerDirectory::Find(std::string_view) const { return nullptr; }

const PartnerEntity* PartnerDirectory::Canonical(std::string_view, const matcher::Partner&) const {
  return nullptr;
}

PartnerResolver::PartnerResolver(const PartnerDirectory& directory) : directory_(directory) {}

PartnerResolution PartnerResolver::Resolve(std::string_view, std::string_view, std::size_t) const {
  return {};
}

}  // namespace expectmatch::understanding
