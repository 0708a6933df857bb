#include "expectmatch/tuning/report.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "expectmatch/tuning/format.h"

namespace expectmatch::tuning {
namespace {

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

constexpr const char* kCurrentColour = "#8a8f98";
constexpr const char* kFittedColour = "#1f5fa8";

// Grouped bars: one group per label, two bars (current, fitted) with values in [0, 1].
std::string PairedBars(const std::vector<std::string>& labels, const std::vector<double>& current,
                       const std::vector<double>& fitted, const std::string& title) {
  const double width = 640, height = 260, left = 48, bottom = 40, top = 24;
  const double plot_w = width - left - 16, plot_h = height - bottom - top;
  const double group = plot_w / static_cast<double>(std::max<size_t>(1, labels.size()));
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + Fixed(width, 0) +
                    "\" height=\"" + Fixed(height, 0) + "\" role=\"img\" aria-label=\"" +
                    Escape(title) + "\">";
  for (int t = 0; t <= 4; ++t) {
    double y = top + plot_h * (1.0 - t / 4.0);
    svg += "<line x1=\"" + Fixed(left, 1) + "\" x2=\"" + Fixed(width - 16, 1) + "\" y1=\"" +
           Fixed(y, 1) + "\" y2=\"" + Fixed(y, 1) + "\" stroke=\"#ddd\"/>";
    svg += "<text x=\"" + Fixed(left - 6, 1) + "\" y=\"" + Fixed(y + 4, 1) +
           "\" text-anchor=\"end\" font-size=\"11\">" + Fr(t / 4.0, 2) + "</text>";
  }
  for (size_t i = 0; i < labels.size(); ++i) {
    const double x0 = left + group * static_cast<double>(i) + group * 0.15;
    const double bar = group * 0.33;
    const double values[2] = {current[i], fitted[i]};
    const char* colours[2] = {kCurrentColour, kFittedColour};
    for (int b = 0; b < 2; ++b) {
      const double h = plot_h * std::clamp(values[b], 0.0, 1.0);
      svg += "<rect x=\"" + Fixed(x0 + b * bar, 1) + "\" y=\"" + Fixed(top + plot_h - h, 1) +
             "\" width=\"" + Fixed(bar - 2, 1) + "\" height=\"" + Fixed(h, 1) + "\" fill=\"" +
             colours[b] + "\"><title>" + Escape(labels[i]) +
             (b == 0 ? " — actuel : " : " — ajusté : ") + Fr(values[b], 3) + "</title></rect>";
      svg += "<text x=\"" + Fixed(x0 + b * bar + (bar - 2) / 2, 1) + "\" y=\"" +
             Fixed(top + plot_h - h - 3, 1) + "\" text-anchor=\"middle\" font-size=\"10\">" +
             Fr(values[b], 2) + "</text>";
    }
    svg += "<text x=\"" + Fixed(x0 + bar, 1) + "\" y=\"" + Fixed(height - bottom + 16, 1) +
           "\" text-anchor=\"middle\" font-size=\"12\">" + Escape(labels[i]) + "</text>";
  }
  svg += "</svg>";
  return svg;
}

// Horizontal bars per feature: current weight, fitted weight and its bootstrap interval.
std::string WeightBars(const TuneResult& r) {
  const double width = 640, row = 44, left = 150, right = 60;
  const double height = 30 + row * kFeatures;
  double top_value = 0.0;
  for (int f = 0; f < kFeatures; ++f)
    top_value = std::max({top_value, r.baseline[f], r.fitted[f], r.high[f]});
  top_value = std::max(0.05, top_value * 1.1);
  const double plot_w = width - left - right;
  auto x = [&](double v) { return left + plot_w * v / top_value; };
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + Fixed(width, 0) +
                    "\" height=\"" + Fixed(height, 0) +
                    "\" role=\"img\" aria-label=\"Pondérations actuelles et ajustées\">";
  for (int f = 0; f < kFeatures; ++f) {
    const double y = 10 + row * f;
    const std::string name(matcher::FeatureName(static_cast<matcher::Feature>(f)));
    svg += "<text x=\"" + Fixed(left - 8, 1) + "\" y=\"" + Fixed(y + 20, 1) +
           "\" text-anchor=\"end\" font-size=\"12\">" + name + "</text>";
    svg += "<rect x=\"" + Fixed(left, 1) + "\" y=\"" + Fixed(y + 2, 1) + "\" width=\"" +
           Fixed(x(r.baseline[f]) - left, 1) + "\" height=\"14\" fill=\"" + kCurrentColour +
           "\"><title>actuel : " + Fr(r.baseline[f], 3) + "</title></rect>";
    svg += "<rect x=\"" + Fixed(left, 1) + "\" y=\"" + Fixed(y + 18, 1) + "\" width=\"" +
           Fixed(x(r.fitted[f]) - left, 1) + "\" height=\"14\" fill=\"" + kFittedColour +
           "\"><title>ajusté : " + Fr(r.fitted[f], 3) + " [" + Fr(r.low[f], 3) + " ; " +
           Fr(r.high[f], 3) + "]</title></rect>";
    const double cy = y + 25;
    svg += "<line x1=\"" + Fixed(x(r.low[f]), 1) + "\" x2=\"" + Fixed(x(r.high[f]), 1) +
           "\" y1=\"" + Fixed(cy, 1) + "\" y2=\"" + Fixed(cy, 1) +
           "\" stroke=\"#000\" stroke-width=\"1.5\"/>";
    for (double v : {r.low[f], r.high[f]}) {
      svg += "<line x1=\"" + Fixed(x(v), 1) + "\" x2=\"" + Fixed(x(v), 1) + "\" y1=\"" +
             Fixed(cy - 5, 1) + "\" y2=\"" + Fixed(cy + 5, 1) +
             "\" stroke=\"#000\" stroke-width=\"1.5\"/>";
    }
    svg += "<text x=\"" + Fixed(std::max(x(r.fitted[f]), x(r.high[f])) + 6, 1) + "\" y=\"" +
           Fixed(y + 30, 1) + "\" font-size=\"11\">" + Fr(r.fitted[f], 3) + "</text>";
  }
  svg += "</svg>";
  return svg;
}

// Histogram of (current rank − fitted rank) of the selected authority, clamped to ±5.
std::string ShiftHistogram(const std::vector<RankChange>& changes) {
  std::map<int, size_t> counts;
  for (int shift = -5; shift <= 5; ++shift) counts[shift] = 0;
  for (const RankChange& c : changes) {
    if (c.baseline_rank == 0) continue;
    ++counts[std::clamp(c.baseline_rank - c.other_rank, -5, 5)];
  }
  size_t most = 1;
  for (const auto& [shift, n] : counts) most = std::max(most, n);
  const double width = 640, height = 240, left = 40, bottom = 44, top = 20;
  const double plot_w = width - left - 16, plot_h = height - bottom - top, bar = plot_w / 11.0;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + Fixed(width, 0) +
                    "\" height=\"" + Fixed(height, 0) +
                    "\" role=\"img\" aria-label=\"Déplacement du rang des choix passés\">";
  size_t i = 0;
  for (const auto& [shift, n] : counts) {
    const double h = plot_h * static_cast<double>(n) / static_cast<double>(most);
    const double x0 = left + bar * static_cast<double>(i++);
    const char* colour = shift > 0 ? "#2e8b57" : (shift < 0 ? "#c0392b" : kCurrentColour);
    std::string label =
        (shift <= -5 ? "≤ −5"
                     : (shift >= 5 ? "≥ +5" : (shift > 0 ? "+" : "") + std::to_string(shift)));
    if (shift < 0 && shift > -5) label = "−" + std::to_string(-shift);
    svg += "<rect x=\"" + Fixed(x0 + 2, 1) + "\" y=\"" + Fixed(top + plot_h - h, 1) +
           "\" width=\"" + Fixed(bar - 4, 1) + "\" height=\"" + Fixed(h, 1) + "\" fill=\"" +
           colour + "\"><title>" + label + " : " + std::to_string(n) + " besoins</title></rect>";
    svg += "<text x=\"" + Fixed(x0 + bar / 2, 1) + "\" y=\"" + Fixed(top + plot_h - h - 3, 1) +
           "\" text-anchor=\"middle\" font-size=\"10\">" + std::to_string(n) + "</text>";
    svg += "<text x=\"" + Fixed(x0 + bar / 2, 1) + "\" y=\"" + Fixed(height - bottom + 16, 1) +
           "\" text-anchor=\"middle\" font-size=\"11\">" + label + "</text>";
  }
  svg += "<text x=\"" + Fixed(left + plot_w / 2, 1) + "\" y=\"" + Fixed(height - 6, 1) +
         "\" text-anchor=\"middle\" font-size=\"11\">places gagnées par la collectivité choisie "
         "(rang actuel − rang ajusté)</text>";
  svg += "</svg>";
  return svg;
}

std::string Day(matcher::Date d) { return matcher::FormatIsoDate(d); }

}  // namespace

std::string RenderHtmlReport(const TuneResult& r, const ReportInfo& info) {
  const std::string k = std::to_string(r.options.metric.k);
  std::string html;
  html += "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<title>Réglage des pondérations — " + Escape(info.profile_name) + "</title>\n";
  html +=
      "<style>body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 "
      "1rem;color:#222}"
      "table{border-collapse:collapse;margin:1rem 0;font-size:.85rem}td,th{border:1px solid "
      "#ccc;padding:.25rem .5rem;text-align:right;white-space:nowrap}"
      "th{background:#f3f4f6}td:first-child,th:first-child{text-align:left}.legend "
      "span{display:inline-block;"
      "width:.9rem;height:.9rem;margin:0 .3rem 0 "
      "1rem;vertical-align:middle}.note{color:#555;font-size:.9rem}</style>\n";
  html += "</head>\n<body>\n";
  html += "<h1>Réglage des pondérations</h1>\n";
  html += "<p>Source : <code>" + Escape(info.source) + "</code> · méthode : <strong>" +
          MethodName(r.method) + "</strong> · profil actuel : <strong>" +
          Escape(info.baseline_name) + "</strong> · profil ajusté : <strong>" +
          Escape(info.profile_name) + "</strong></p>\n";
  html += "<p>" + std::to_string(r.needs) + " besoins passés décidés, " + Fr(r.mean_candidates, 1) +
          " candidats éligibles en moyenne ; pour " + std::to_string(r.needs_without_candidate) +
          " d'entre eux la collectivité choisie n'était pas candidate (ils comptent 0). Pertinence "
          ": choisie = 1, "
          "choisie et mission notée 4 ou 5 = 2. Métriques au sens de trec_eval, k = " +
          k +
          (r.options.metric.ties == TieOrder::kEngine
               ? ", égalités départagées par identifiant croissant (comme le moteur)"
               : ", égalités départagées par identifiant décroissant (comme trec_eval)") +
          ".</p>\n";
  if (r.fell_back) {
    html +=
        "<p><strong>Attention :</strong> les besoins passés ne départagent aucun candidat ; le "
        "profil actuel est conservé.</p>\n";
  }
  html += "<p class=\"legend\"><span style=\"background:" + std::string(kCurrentColour) +
          "\"></span>profil actuel"
          "<span style=\"background:" +
          std::string(kFittedColour) + "\"></span>profil ajusté</p>\n";

  html += "<h2>Validation croisée dans le temps</h2>\n";
  html +=
      "<p class=\"note\">Chaque pli apprend sur les besoins décidés avant sa période de test et "
      "est évalué sur les "
      "suivants.</p>\n";
  std::vector<std::string> labels;
  std::vector<double> current, fitted;
  for (size_t i = 0; i < r.folds.size(); ++i) {
    labels.push_back("pli " + std::to_string(i + 1));
    current.push_back(r.folds[i].baseline.ndcg);
    fitted.push_back(r.folds[i].fitted.ndcg);
  }
  labels.push_back("moyenne");
  current.push_back(r.baseline_held_out.ndcg);
  fitted.push_back(r.fitted_held_out.ndcg);
  html += "<h3>NDCG@" + k + " sur les besoins de test</h3>\n" +
          PairedBars(labels, current, fitted, "NDCG par pli") + "\n";
  for (auto& v : current) v = 0;
  for (auto& v : fitted) v = 0;
  for (size_t i = 0; i < r.folds.size(); ++i) {
    current[i] = r.folds[i].baseline.mrr;
    fitted[i] = r.folds[i].fitted.mrr;
  }
  current.back() = r.baseline_held_out.mrr;
  fitted.back() = r.fitted_held_out.mrr;
  html += "<h3>MRR sur les besoins de test</h3>\n" +
          PairedBars(labels, current, fitted, "MRR par pli") + "\n";
  html +=
      "<table><tr><th>pli</th><th>apprentissage</th><th>test</th><th>besoins (app. / "
      "test)</th><th>NDCG@" +
      k + " actuel</th><th>NDCG@" + k +
      " ajusté</th><th>MRR actuel</th><th>MRR ajusté</th><th>Rappel@" + k +
      " actuel</th><th>Rappel@" + k + " ajusté</th></tr>\n";
  for (size_t i = 0; i < r.folds.size(); ++i) {
    const FoldResult& f = r.folds[i];
    html += "<tr><td>" + std::to_string(i + 1) + "</td><td>" + Day(f.train_from) + " → " +
            Day(f.train_to) + "</td><td>" + Day(f.test_from) + " → " + Day(f.test_to) +
            "</td><td>" + std::to_string(f.train_needs) + " / " + std::to_string(f.test_needs) +
            "</td><td>" + Fr(f.baseline.ndcg, 3) + "</td><td>" + Fr(f.fitted.ndcg, 3) +
            "</td><td>" + Fr(f.baseline.mrr, 3) + "</td><td>" + Fr(f.fitted.mrr, 3) + "</td><td>" +
            Fr(f.baseline.recall, 3) + "</td><td>" + Fr(f.fitted.recall, 3) + "</td></tr>\n";
  }
  html += "<tr><th>moyenne</th><th></th><th></th><th>" + std::to_string(r.fitted_held_out.needs) +
          "</th><th>" + Fr(r.baseline_held_out.ndcg, 3) + "</th><th>" +
          Fr(r.fitted_held_out.ndcg, 3) + "</th><th>" + Fr(r.baseline_held_out.mrr, 3) +
          "</th><th>" + Fr(r.fitted_held_out.mrr, 3) + "</th><th>" +
          Fr(r.baseline_held_out.recall, 3) + "</th><th>" + Fr(r.fitted_held_out.recall, 3) +
          "</th></tr>\n</table>\n";

  html += "<h2>Pondérations</h2>\n";
  html +=
      "<p class=\"note\">Ajustées sur tous les besoins, normalisées à une somme de 1 ; barres "
      "d'erreur : intervalle "
      "de 2,5 % à 97,5 % sur " +
      std::to_string(r.bootstrap) + " rééchantillonnages des besoins (bootstrap).</p>\n";
  html += WeightBars(r) + "\n";
  html +=
      "<table><tr><th>critère</th><th>actuel</th><th>ajusté</th><th>intervalle 95 %</th></tr>\n";
  for (int f = 0; f < kFeatures; ++f) {
    html += "<tr><td>" + std::string(matcher::FeatureName(static_cast<matcher::Feature>(f))) +
            "</td><td>" + Fr(r.baseline[f], 3) + "</td><td>" + Fr(r.fitted[f], 3) + "</td><td>" +
            Fr(r.low[f], 3) + " – " + Fr(r.high[f], 3) + "</td></tr>\n";
  }
  html += "</table>\n";

  const RankChangeSummary& s = r.change_summary;
  html += "<h2>Effet sur les décisions passées</h2>\n";
  html +=
      "<p>Rang de la collectivité effectivement choisie, profil ajusté contre profil actuel : "
      "<strong>" +
      std::to_string(s.improved) + "</strong> mieux classées, <strong>" +
      std::to_string(s.worsened) + "</strong> moins bien, <strong>" + std::to_string(s.unchanged) +
      "</strong> au même rang, " + std::to_string(s.not_candidate) +
      " non candidates ; la première place change pour " + std::to_string(s.top1_changed) +
      " besoins.</p>\n";
  html += ShiftHistogram(r.changes) + "\n";
  html += "<table><tr><th>sur tous les besoins</th><th>NDCG@" + k + "</th><th>MRR</th><th>Rappel@" +
          k + "</th></tr>\n";
  html += "<tr><td>profil actuel</td><td>" + Fr(r.baseline_all.ndcg, 3) + "</td><td>" +
          Fr(r.baseline_all.mrr, 3) + "</td><td>" + Fr(r.baseline_all.recall, 3) + "</td></tr>\n";
  html += "<tr><td>profil ajusté (sur ces mêmes besoins)</td><td>" + Fr(r.fitted_all.ndcg, 3) +
          "</td><td>" + Fr(r.fitted_all.mrr, 3) + "</td><td>" + Fr(r.fitted_all.recall, 3) +
          "</td></tr>\n</table>\n";
  html +=
      "<p class=\"note\">Les caractéristiques d'un besoin passé sont celles que le service "
      "connaissait le jour de "
      "la décision (missions commencées, notes des missions terminées, rapports remis avant ce "
      "jour) : le résultat "
      "du besoin lui-même n'y entre jamais. Voir docs/TUNING.md.</p>\n";
  html += "</body>\n</html>\n";
  return html;
}

}  // namespace expectmatch::tuning
