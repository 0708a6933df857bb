#include "assign_command.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "expectmatch/datasets/assignment_csv.h"
#include "expectmatch/datasets/loader.h"
#include "expectmatch/matcher/assignment.h"
#include "expectmatch/service/assignment_json.h"
#include "expectmatch/service/profiles.h"
#include "expectmatch/service/snapshot.h"

namespace expectmatch::app {
namespace {

struct AssignArgs {
  std::string scores, demand, capacity;
  bool min_loads = false;
  size_t top_k = 0;
  size_t alternates = 3;
  std::optional<double> fairness_floor;
  bool json = false;
  std::string data, db, period_from, period_to, profile = "default";
};

[[noreturn]] void Fail(const std::string& message, int code = 1) {
  std::cerr << "erreur : " << message << "\n";
  throw CLI::RuntimeError(code);
}

std::string Number(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.4f", value);
  return buffer;
}

std::string Pad(const std::string& text, size_t width) {
  // Width in code points (ids are mostly ASCII; accented letters count once).
  size_t shown = 0;
  for (unsigned char ch : text) shown += (ch & 0xC0) != 0x80;
  return shown >= width ? text + " " : text + std::string(width - shown, ' ');
}

std::string FormatTable(const matcher::AssignmentProblem& p, const matcher::AssignmentResult& r) {
  std::ostringstream out;
  out << "Affectation de " << p.needs.size() << " besoins à " << p.authorities.size()
      << " collectivités (" << r.edges_kept << " couples retenus";
  if (r.edges_cut > 0) out << ", " << r.edges_cut << " écartés par la limite top-" << p.top_k;
  out << ", résolution en " << Number(r.solve_ms) << " ms)\n";
  if (r.feasible) {
    out << "Plan optimal : toutes les contraintes sont respectées.\n";
  } else if (r.relaxed && !r.needs.empty()) {
    out << "Problème infaisable : plan partiel du problème relâché (sans charges minimales, le "
           "plus de demande "
           "possible placée, puis le meilleur score).\n";
  } else {
    out << "Problème infaisable : aucun plan.\n";
  }
  if (r.cut_may_matter)
    out << "Attention : la limite top-" << p.top_k << " a pu écarter un meilleur plan.\n";

  size_t need_width = 7, authority_width = 12;
  for (const std::string& id : p.needs) need_width = std::max(need_width, id.size() + 2);
  for (const std::string& id : p.authorities)
    authority_width = std::max(authority_width, id.size() + 2);
  std::vector<uint32_t> needs(p.needs.size()), authorities(p.authorities.size());
  for (uint32_t i = 0; i < needs.size(); ++i) needs[i] = i;
  for (uint32_t j = 0; j < authorities.size(); ++j) authorities[j] = j;
  std::sort(needs.begin(), needs.end(),
            [&](uint32_t a, uint32_t b) { return p.needs[a] < p.needs[b]; });
  std::sort(authorities.begin(), authorities.end(),
            [&](uint32_t a, uint32_t b) { return p.authorities[a] < p.authorities[b]; });

  out << "\n"
      << Pad("Besoin", need_width) << Pad("Total", 9) << "Collectivités affectées (score)\n";
  for (uint32_t i : needs) {
    const matcher::NeedPlan& plan = r.needs[i];
    out << Pad(p.needs[i], need_width) << Pad(Number(plan.total), 9);
    for (size_t k = 0; k < plan.assigned.size(); ++k) {
      out << (k ? ", " : "") << p.authorities[plan.assigned[k].authority] << " ("
          << Number(plan.assigned[k].score) << (plan.assigned[k].forced ? ", imposée" : "") << ")";
    }
    if (plan.missing > 0) out << (plan.assigned.empty() ? "" : ", ") << "manque " << plan.missing;
    out << "\n";
    if (!plan.alternates.empty() && plan.missing == 0) {
      out << Pad("", need_width + 9) << "alternatives : ";
      for (size_t k = 0; k < plan.alternates.size(); ++k) {
        out << (k ? ", " : "") << p.authorities[plan.alternates[k].authority] << " ("
            << Number(plan.alternates[k].score) << ")";
      }
      out << "\n";
    }
  }
  out << "\n"
      << Pad("Collectivité", authority_width) << Pad("Charge", 8) << Pad("Min", 6) << "Max\n";
  for (uint32_t j : authorities) {
    out << Pad(p.authorities[j], authority_width) << Pad(std::to_string(r.load[j]), 8)
        << Pad(std::to_string(p.min_load.empty() ? 0 : p.min_load[j]), 6)
        << (p.max_load.empty() ? std::string("-") : std::to_string(p.max_load[j])) << "\n";
  }
  out << "\nScore total : " << Number(r.total_score) << "\n";
  out << "Plus bas total par besoin : " << Number(r.lowest_need_total) << "\n";
  if (r.fairness) {
    const matcher::FairnessReport& f = *r.fairness;
    out << "\nÉquité locale (plancher demandé " << Number(f.requested_floor)
        << ") : plancher atteint " << Number(f.floor_reached) << ", score total cédé "
        << Number(f.score_given_up) << " (optimum sans plancher " << Number(f.base_total)
        << ", plus bas total " << Number(f.base_lowest) << ", " << f.rounds << " résolutions"
        << (f.pruned ? ", couples sous le plancher écartés" : "") << ").\n";
    if (f.met) {
      out << "Chaque besoin atteint le plancher (ou son meilleur total possible s'il est plus "
             "bas).\n";
    } else {
      out << f.below.size() << " besoin" << (f.below.size() == 1 ? " reste" : "s restent")
          << " sous le plancher :";
      for (size_t k = 0; k < f.below.size() && k < 10; ++k)
        out << (k ? ", " : " ") << p.needs[f.below[k]];
      out << (f.below.size() > 10 ? ", …" : "") << "\n";
    }
    if (!f.unreachable.empty()) {
      out << f.unreachable.size() << " besoin"
          << (f.unreachable.size() == 1 ? " ne peut" : "s ne peuvent")
          << " pas atteindre le plancher, même seul" << (f.unreachable.size() == 1 ? "" : "s")
          << " :";
      for (size_t k = 0; k < f.unreachable.size() && k < 10; ++k)
        out << (k ? ", " : " ") << p.needs[f.unreachable[k]];
      out << (f.unreachable.size() > 10 ? ", …" : "") << "\n";
    }
  }
  if (!r.unplaced.empty()) {
    out << "\nBesoins non complétés (" << r.unplaced.size() << ") :\n";
    for (uint32_t i : r.unplaced) {
      const matcher::NeedPlan& plan = r.needs[i];
      out << "  " << p.needs[i] << " : manque " << plan.missing << " ; " << plan.reason;
      if (!plan.alternates.empty()) {
        out << " ; alternatives : ";
        for (size_t k = 0; k < plan.alternates.size(); ++k) {
          out << (k ? ", " : "") << p.authorities[plan.alternates[k].authority] << " ("
              << Number(plan.alternates[k].score) << ")";
        }
      }
      out << "\n";
    }
  }
  if (!r.diagnostics.empty()) {
    out << "\nDiagnostics :\n";
    for (const std::string& sentence : r.diagnostics) out << "  - " << sentence << "\n";
  }
  return out.str();
}

nlohmann::json EncodeResult(const matcher::AssignmentProblem& p,
                            const matcher::AssignmentResult& r) {
  auto pair_json = [&](const matcher::AssignedAuthority& a) {
    nlohmann::json j = {{"authority", p.authorities[a.authority]}, {"score", a.score}};
    if (a.forced) j["forced"] = true;
    return j;
  };
  nlohmann::json needs = nlohmann::json::array();
  for (size_t i = 0; i < p.needs.size(); ++i) {
    const matcher::NeedPlan& plan = r.needs[i];
    nlohmann::json assigned = nlohmann::json::array();
    for (const auto& a : plan.assigned) assigned.push_back(pair_json(a));
    nlohmann::json need = {{"need", p.needs[i]},
                           {"demand", p.demand.empty() ? 1 : p.demand[i]},
                           {"assigned", assigned},
                           {"total", plan.total}};
    nlohmann::json alternates = nlohmann::json::array();
    for (const auto& a : plan.alternates) alternates.push_back(pair_json(a));
    need["missing"] = plan.missing;
    if (plan.missing > 0) need["reason"] = plan.reason;
    need["alternates"] = alternates;
    needs.push_back(need);
  }
  nlohmann::json authorities = nlohmann::json::array();
  for (size_t j = 0; j < p.authorities.size(); ++j) {
    nlohmann::json a = {{"authority", p.authorities[j]},
                        {"load", r.load[j]},
                        {"min", p.min_load.empty() ? 0 : p.min_load[j]}};
    if (!p.max_load.empty()) a["max"] = p.max_load[j];
    authorities.push_back(a);
  }
  nlohmann::json unplaced = nlohmann::json::array();
  for (uint32_t i : r.unplaced) unplaced.push_back(p.needs[i]);
  nlohmann::json out = {{"feasible", r.feasible},
                        {"relaxed", r.relaxed},
                        {"total_score", r.total_score},
                        {"lowest_need_total", r.lowest_need_total},
                        {"top_k", p.top_k},
                        {"cut_may_matter", r.cut_may_matter},
                        {"edges", {{"kept", r.edges_kept}, {"cut", r.edges_cut}}},
                        {"solve_ms", r.solve_ms},
                        {"needs", needs},
                        {"authorities", authorities},
                        {"unplaced", unplaced},
                        {"diagnostics", r.diagnostics}};
  if (r.fairness) {
    // The API's view, plus how the floor was pursued.
    out["fairness"] = service::EncodeFairness(*r.fairness, p.needs);
    out["fairness"]["base_lowest"] = r.fairness->base_lowest;
    out["fairness"]["rounds"] = r.fairness->rounds;
    out["fairness"]["pruned"] = r.fairness->pruned;
  }
  return out;
}

void Progress(std::string_view stage, size_t done, size_t total, bool large) {
  if (!large) return;
  std::cerr << stage << " : " << done << "/" << total << "\n";
}

template <typename Csv>
void Check(const Csv& csv) {
  if (csv.ok()) return;
  for (const std::string& message : csv.Messages()) std::cerr << message << "\n";
  Fail(csv.file + " : " + std::to_string(csv.errors.size()) +
       (csv.errors.size() == 1 ? " erreur" : " erreurs"));
}

// The stored needs (submitted or shortlisted) whose period meets [from, to], scored by the
// engine; the loads are the authorities' capacities left in the year the period starts.
matcher::AssignmentProblem ProblemFromStoredNeeds(const AssignArgs& args,
                                                  std::shared_ptr<const service::Snapshot>* keep) {
  std::optional<matcher::Date> from, to;
  if (!args.period_from.empty() && !(from = matcher::ParseIsoDate(args.period_from)))
    Fail("--period-from : date invalide (AAAA-MM-JJ)", 2);
  if (!args.period_to.empty() && !(to = matcher::ParseIsoDate(args.period_to)))
    Fail("--period-to : date invalide (AAAA-MM-JJ)", 2);
  std::optional<matcher::Profile> profile;
  try {
    if (!args.db.empty()) {
      store::Store store(args.db);
      *keep = service::OpenSnapshot(
          store, args.data.empty() ? std::string(EXPECTMATCH_SAMPLE_DIR) : args.data);
      profile = service::ProfileResolver(&store).Latest(args.profile);
    } else {
      datasets::LoadResult loaded = datasets::LoadDatasetDir(args.data);
      if (!loaded.ok()) {
        for (const std::string& error : loaded.errors) std::cerr << error << "\n";
        Fail("le jeu de données " + args.data + " est invalide");
      }
      *keep = std::make_shared<const service::Snapshot>(std::move(loaded.dataset));
      profile = service::ProfileResolver(nullptr).Latest(args.profile);
    }
  } catch (const CLI::RuntimeError&) {
    throw;
  } catch (const std::exception& e) {
    Fail(e.what());
  }
  if (!profile) Fail("profil inconnu « " + args.profile + " »", 2);
  const matcher::Catalogue& catalogue = (*keep)->catalogue;
  std::vector<const matcher::Need*> needs = matcher::OpenNeedsOfPeriod(catalogue, from, to);
  if (needs.empty()) Fail("aucun besoin soumis ou présélectionné sur la période", 3);
  const int year = matcher::CapacityYear(needs, from);
  std::cerr << needs.size() << " besoins de la période, profil « " << profile->name << " » v"
            << profile->version << ", capacités de l'année " << year << "\n";
  return matcher::ProblemFromCatalogue(catalogue, needs, *profile, year);
}

// Prints the plan (a French table, or JSON); an infeasible batch exits 3 after its report.
void Report(const AssignArgs& args, const matcher::AssignmentProblem& problem,
            const matcher::AssignmentResult& result) {
  if (args.json) {
    std::cout << EncodeResult(problem, result).dump(2) << "\n";
  } else {
    std::cout << FormatTable(problem, result);
  }
  std::cout.flush();
  if (!result.feasible) throw CLI::RuntimeError(3);
}

// Solver options; progress lines on stderr for batches of 100,000 pairs or more.
matcher::AssignOptions Options(const AssignArgs& args, const matcher::AssignmentProblem& problem) {
  matcher::AssignOptions options;
  options.alternates = args.alternates;
  options.fairness_floor = args.fairness_floor;
  const bool large = problem.edges.size() >= 100'000;
  options.progress = [large](std::string_view stage, size_t done, size_t total) {
    Progress(stage, done, total, large);
  };
  if (large) {
    std::cerr << "lecture : " << problem.needs.size() << " besoins, " << problem.authorities.size()
              << " collectivités, " << problem.edges.size() << " couples\n";
  }
  return options;
}

void RunAssign(const AssignArgs& args) {
  if (args.fairness_floor && !std::isfinite(*args.fairness_floor))
    Fail("--fairness-floor : nombre fini attendu", 2);
  std::shared_ptr<const service::Snapshot> snapshot;  // keeps the catalogue alive while assigning
  if (!args.data.empty() || !args.db.empty()) {
    matcher::AssignmentProblem problem = ProblemFromStoredNeeds(args, &snapshot);
    problem.top_k = args.top_k;
    Report(args, problem, matcher::AssignBatch(problem, Options(args, problem)));
    return;
  }
  if (args.scores.empty() || args.capacity.empty())
    Fail("--scores et --capacity sont requis (--demand est facultatif)", 2);
  datasets::ScoresCsv scores = datasets::ReadScoresCsv(args.scores);
  datasets::DemandsCsv demands;
  if (!args.demand.empty()) demands = datasets::ReadDemandsCsv(args.demand);
  datasets::CapacitiesCsv capacities = datasets::ReadCapacitiesCsv(args.capacity);
  Check(scores);
  Check(demands);
  Check(capacities);
  std::vector<std::string> errors;
  matcher::AssignmentProblem problem =
      datasets::BuildAssignmentProblem(scores, demands, capacities, args.min_loads, &errors);
  if (!errors.empty()) {
    for (const std::string& e : errors) std::cerr << e << "\n";
    Fail(std::to_string(errors.size()) + (errors.size() == 1 ? " erreur" : " erreurs") +
         " dans les fichiers");
  }
  problem.top_k = args.top_k;
  Report(args, problem, matcher::AssignBatch(problem, Options(args, problem)));
}

}  // namespace

void AddAssignCommand(CLI::App& app) {
  auto args = std::make_shared<AssignArgs>();
  auto* assign = app.add_subcommand("assign",
                                    "Affecte en une fois des besoins aux collectivités (score "
                                    "total maximal sous contraintes de capacité)");
  assign->add_option("--scores", args->scores, "CSV need,authority,score des couples éligibles");
  assign->add_option("--demand", args->demand, "CSV need,demand (1 par défaut)");
  assign->add_option("--capacity", args->capacity, "CSV authority,min,max");
  assign->add_flag("--min-loads", args->min_loads,
                   "Imposer aussi les charges minimales (colonne min)");
  assign
      ->add_option("--top-k", args->top_k,
                   "Ne garder que les K meilleurs couples par besoin (0 : tous)")
      ->capture_default_str();
  assign->add_option("--alternates", args->alternates, "Alternatives listées par besoin")
      ->capture_default_str()
      ->check(CLI::Range(0, 50));
  assign->add_option(
      "--fairness-floor", args->fairness_floor,
      "Équité locale : plancher visé pour le score total de chaque besoin (à la FairFlow)");
  assign->add_flag("--json", args->json, "Sortie JSON");
  assign->add_option("--data", args->data,
                     "Dossier du jeu de données : affecte ses besoins soumis ou présélectionnés");
  assign->add_option("--db", args->db,
                     "Base SQLite : affecte ses besoins soumis ou présélectionnés");
  assign->add_option("--period-from", args->period_from, "Début de la période (AAAA-MM-JJ)");
  assign->add_option("--period-to", args->period_to, "Fin de la période (AAAA-MM-JJ)");
  assign->add_option("--profile", args->profile, "Profil de pondération")->capture_default_str();
  assign->callback([args] { RunAssign(*args); });
}

}  // namespace expectmatch::app
