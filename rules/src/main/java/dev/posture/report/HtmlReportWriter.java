package dev.posture.report;

import dev.posture.model.Finding;
import dev.posture.model.Severity;
import dev.posture.model.Surface;
import dev.posture.model.Target;
import dev.posture.model.TargetStatus;
import dev.posture.model.Theme;
import dev.posture.scan.ScanResult;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * One self-contained HTML file for auditors: inline CSS, JS and SVG, nothing fetched when opened. The two surfaces
 * side by side with severity-by-theme charts, filters (severity, surface, theme, target, control, suppressed) and
 * text search, every finding a row {@code <tr data-fingerprint="…">} with its rule's help, remediation, masked
 * evidence and location; printable. Filters can be preset from the URL fragment
 * ({@code report.html#severity=high&surface=container&q=sudo}) so a link can point at a view.
 *
 * <p>Everything that comes from scanned input is hostile: it is only ever written through {@link #text} (element
 * content) or {@link #attr} (quoted attribute values), never into a script or style, and links are written only for
 * http(s) references.
 */
public final class HtmlReportWriter implements ReportWriter {

    @Override
    public void write(ScanResult result, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(64 * 1024);
        render(result, b);
        w.write(b.toString());
        w.flush();
    }

    static void render(ScanResult r, StringBuilder b) {
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                // no network: nothing but this file's own styles, scripts and images
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
                .append("style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">")
                .append("<title>posture report</title><style>").append(CSS).append("</style></head><body>\n");
        b.append("<header><h1>posture report</h1><p class=\"meta\">")
                .append(text(r.toolName() + " " + r.toolVersion())).append(" · scan ").append(text(r.scanId()))
                .append(" · ").append(text(String.valueOf(r.startedAt()))).append("</p></header>\n");
        surfaces(r, b);
        Posture posture = Posture.of(r);
        responsibility(posture, b);
        targets(r, b);
        drilldown(posture, b);
        filters(r, b);
        findings(r, b);
        b.append("<script>").append(JS).append("</script>\n</body></html>\n");
    }

    /** Serverless and container side by side: severity counts and a bar per theme. */
    private static void surfaces(ScanResult r, StringBuilder b) {
        b.append("<section id=\"summary\" class=\"surfaces\">\n");
        for (Surface s : Surface.values()) {
            Map<Theme, Map<Severity, Integer>> byTheme = new EnumMap<>(Theme.class);
            Map<Severity, Integer> total = new EnumMap<>(Severity.class);
            int targets = 0;
            for (Target t : r.targets()) {
                if (surfaceOf(t) == s) {
                    targets++;
                }
            }
            for (Finding f : r.findings()) {
                if (f.rule().surface() != s || f.suppressed()) {
                    continue;
                }
                byTheme.computeIfAbsent(f.rule().theme(), k -> new EnumMap<>(Severity.class))
                        .merge(f.rule().severity(), 1, Integer::sum);
                total.merge(f.rule().severity(), 1, Integer::sum);
            }
            b.append("<div class=\"surface\" data-surface=\"").append(attr(s.id())).append("\"><h2>")
                    .append(text(s.id())).append("</h2><p>").append(targets).append(" target(s)</p><ul class=\"counts\">");
            for (Severity v : Severity.values()) {
                b.append("<li class=\"sev-").append(v.id()).append("\"><b>").append(total.getOrDefault(v, 0))
                        .append("</b> ").append(v.id()).append("</li>");
            }
            b.append("</ul>");
            chart(byTheme, b);
            b.append("</div>\n");
        }
        b.append("</section>\n");
    }

    private static Surface surfaceOf(Target t) {
        return switch (t.type()) {
            case KUBERNETES, IMAGE -> Surface.CONTAINER;
            default -> Surface.SERVERLESS;
        };
    }

    /** One horizontal stacked bar per theme with findings, widths proportional to the largest theme. */
    private static void chart(Map<Theme, Map<Severity, Integer>> byTheme, StringBuilder b) {
        if (byTheme.isEmpty()) {
            b.append("<p class=\"none\">No findings.</p>");
            return;
        }
        int max = byTheme.values().stream().mapToInt(m -> m.values().stream().mapToInt(Integer::intValue).sum())
                .max().orElse(1);
        int rowH = 22;
        int width = 420;
        int labelW = 110;
        b.append("<svg class=\"chart\" role=\"img\" aria-label=\"findings by theme and severity\" viewBox=\"0 0 ")
                .append(width).append(' ').append(byTheme.size() * rowH).append("\" width=\"").append(width)
                .append("\" height=\"").append(byTheme.size() * rowH).append("\">");
        int y = 0;
        for (Map.Entry<Theme, Map<Severity, Integer>> e : byTheme.entrySet()) {
            b.append("<text x=\"0\" y=\"").append(y + 15).append("\">").append(text(e.getKey().id())).append("</text>");
            double x = labelW;
            int sum = 0;
            for (Severity v : Severity.values()) {
                int n = e.getValue().getOrDefault(v, 0);
                if (n == 0) {
                    continue;
                }
                sum += n;
                double w = (width - labelW - 40) * (double) n / max;
                b.append("<rect class=\"sev-").append(v.id()).append("\" x=\"").append(fmt(x)).append("\" y=\"")
                        .append(y + 3).append("\" width=\"").append(fmt(w)).append("\" height=\"16\"><title>")
                        .append(n).append(' ').append(v.id()).append("</title></rect>");
                x += w;
            }
            b.append("<text x=\"").append(fmt(x + 4)).append("\" y=\"").append(y + 15).append("\">").append(sum)
                    .append("</text>");
            y += rowH;
        }
        b.append("</svg>");
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    /**
     * Who secures each theme in each model, and what this scan found there: counts, "clean", or "not scanned"
     * (never "clean" for what no analyzer looked at); the score per surface under it.
     */
    private static void responsibility(Posture p, StringBuilder b) {
        b.append("<section id=\"responsibility\"><h2>Shared responsibility</h2><table class=\"posture\"><thead>")
                .append("<tr><th>theme</th>");
        for (Posture.SurfacePosture s : p.surfaces()) {
            b.append("<th>").append(text(s.surface().id())).append("</th>");
        }
        b.append("</tr></thead><tbody>");
        for (Theme t : Theme.values()) {
            b.append("<tr><td>").append(text(t.id())).append("</td>");
            for (Posture.SurfacePosture s : p.surfaces()) {
                Posture.ThemePosture tp = s.theme(t);
                b.append("<td class=\"status-").append(tp.status().id().replace(' ', '-')).append("\"><b>")
                        .append(text(tp.responsibility().owner().id())).append("</b> · ")
                        .append(text(Posture.themeText(tp)));
                String note = tp.responsibility().note();
                if (note != null && !note.isBlank()) {
                    b.append("<br><small>").append(text(note)).append("</small>");
                }
                for (String n : tp.notes()) {
                    b.append("<br><small>").append(text(n)).append("</small>");
                }
                b.append("</td>");
            }
            b.append("</tr>");
        }
        b.append("<tr><td>score</td>");
        for (Posture.SurfacePosture s : p.surfaces()) {
            b.append("<td><b>").append(text(Posture.scoreText(s.score()))).append("</b></td>");
        }
        b.append("</tr></tbody></table><p class=\"fp\">").append(text(Posture.SCORE_FORMULA)).append("</p></section>\n");
    }

    private static void targets(ScanResult r, StringBuilder b) {
        long failed = r.targets().stream().filter(t -> t.status() == TargetStatus.FAILED).count();
        b.append("<section id=\"targets\"><h2>Targets</h2><p>").append(r.targets().size()).append(" target(s), ")
                .append(failed).append(" failed").append(failed > 0 ? " — the scan is incomplete" : "")
                .append("</p><details").append(failed > 0 ? " open" : "").append("><summary>All targets</summary>")
                .append("<table class=\"targets\"><thead><tr><th>type</th><th>target</th><th>status</th>")
                .append("<th>reason</th></tr></thead><tbody>");
        for (Target t : r.targets()) {
            b.append("<tr class=\"status-").append(t.status().id()).append("\"><td>").append(text(t.type().id()))
                    .append("</td><td>").append(text(t.name())).append("</td><td>").append(text(t.status().id()))
                    .append("</td><td>").append(text(t.error() == null ? "" : t.error())).append("</td></tr>");
        }
        b.append("</tbody></table></details></section>\n");
    }

    /** Per target: function → role → policies, image → layers → files, workload → containers, with counts at each level. */
    private static void drilldown(Posture p, StringBuilder b) {
        b.append("<section id=\"drilldown\"><h2>By target</h2>");
        for (Posture.TargetDrill t : p.targets()) {
            if (t.nodes().isEmpty()) {
                continue;
            }
            b.append("<details class=\"drill\"><summary>").append(text(t.target().type().id())).append(' ')
                    .append(text(t.target().name())).append(" — ").append(text(t.counts().compact()))
                    .append("</summary>");
            nodes(t.nodes(), b);
            b.append("</details>");
        }
        b.append("</section>\n");
    }

    private static void nodes(List<Posture.Node> nodes, StringBuilder b) {
        b.append("<ul>");
        for (Posture.Node n : nodes) {
            b.append("<li><small>").append(text(n.kind())).append("</small> ").append(text(n.name())).append(" — ")
                    .append(text(n.counts().compact()));
            if (!n.children().isEmpty()) {
                nodes(n.children(), b);
            }
            b.append("</li>");
        }
        b.append("</ul>");
    }

    private static void filters(ScanResult r, StringBuilder b) {
        TreeSet<String> targets = new TreeSet<>();
        TreeSet<String> controls = new TreeSet<>();
        TreeSet<String> themes = new TreeSet<>();
        for (Finding f : r.findings()) {
            targets.add(f.target().name());
            controls.add(f.rule().control());
            themes.add(f.rule().theme().id());
        }
        b.append("<section id=\"filters\" class=\"filters\"><label>severity ≥ <select id=\"f-severity\">")
                .append("<option value=\"\">any</option>");
        for (Severity v : Severity.values()) {
            b.append("<option value=\"").append(v.id()).append("\">").append(v.id()).append("</option>");
        }
        b.append("</select></label>");
        select(b, "surface", List.of(Surface.SERVERLESS.id(), Surface.CONTAINER.id()));
        select(b, "theme", List.copyOf(themes));
        select(b, "target", List.copyOf(targets));
        select(b, "control", List.copyOf(controls));
        b.append("<label><input type=\"checkbox\" id=\"f-suppressed\"> suppressed</label>")
                .append("<label>search <input type=\"search\" id=\"f-q\" placeholder=\"text in any column\"></label>")
                .append("<span id=\"shown\" aria-live=\"polite\"></span></section>\n");
    }

    private static void select(StringBuilder b, String name, List<String> values) {
        b.append("<label>").append(name).append(" <select id=\"f-").append(name)
                .append("\"><option value=\"\">any</option>");
        for (String v : values) {
            b.append("<option value=\"").append(attr(v)).append("\">").append(text(v)).append("</option>");
        }
        b.append("</select></label>");
    }

    private static void findings(ScanResult r, StringBuilder b) {
        b.append("<section id=\"findings\"><h2>Findings</h2><table class=\"findings\"><thead><tr>")
                .append("<th>severity</th><th>rule</th><th>target · resource</th><th>location</th><th>finding</th>")
                .append("</tr></thead><tbody>\n");
        for (Finding f : r.findings()) {
            String file = f.location() != null ? f.location().toString() : null;
            String location = f.path() != null ? (file == null ? f.path() : file + " → " + f.path())
                    : file != null ? file : f.logicalLocation() == null ? "" : f.logicalLocation();
            b.append("<tr data-fingerprint=\"").append(attr(f.fingerprint()))
                    .append("\" data-severity=\"").append(f.rule().severity().id())
                    .append("\" data-surface=\"").append(f.rule().surface().id())
                    .append("\" data-theme=\"").append(f.rule().theme().id())
                    .append("\" data-target=\"").append(attr(f.target().name()))
                    .append("\" data-control=\"").append(attr(f.rule().control()))
                    .append("\" data-suppressed=\"").append(f.suppressed()).append("\"")
                    .append(f.suppressed() ? " hidden" : "").append(">");
            b.append("<td><span class=\"badge sev-").append(f.rule().severity().id()).append("\">")
                    .append(f.rule().severity().id()).append("</span></td>");
            b.append("<td><code>").append(text(f.rule().id())).append("</code><br><small>")
                    .append(text(f.rule().control())).append("</small></td>");
            b.append("<td>").append(text(f.target().name()));
            if (f.resource() != null) {
                b.append("<br><small>").append(text(f.resource()))
                        .append(f.container() == null ? "" : " · " + text(f.container())).append("</small>");
            }
            b.append("</td><td><code>").append(text(location)).append("</code></td>");
            b.append("<td>").append(text(f.message()));
            b.append("<details><summary>").append(text(f.rule().title())).append("</summary>");
            if (f.rule().description() != null) {
                b.append("<p>").append(text(f.rule().description())).append("</p>");
            }
            if (f.evidence() != null && !f.evidence().isBlank()) {
                b.append("<p><b>Evidence</b> <code>").append(text(f.evidence())).append("</code></p>");
            }
            if (f.rule().remediation() != null) {
                b.append("<p><b>Remediation</b> ").append(text(f.rule().remediation())).append("</p>");
            }
            if (f.logicalLocation() != null) {
                b.append("<p><b>Where</b> ").append(text(f.logicalLocation())).append("</p>");
            }
            if (f.suppressed()) {
                b.append("<p><b>Suppressed</b> ").append(text(String.valueOf(f.suppression().reason()))).append("</p>");
            }
            List<String> refs = f.rule().references() == null ? List.of() : f.rule().references();
            for (String ref : refs) {
                if (ref != null && (ref.startsWith("https://") || ref.startsWith("http://"))) {
                    b.append("<p><a rel=\"noopener noreferrer\" href=\"").append(attr(ref)).append("\">")
                            .append(text(ref)).append("</a></p>");
                }
            }
            b.append("<p class=\"fp\">fingerprint ").append(text(f.fingerprint())).append("</p></details></td></tr>\n");
        }
        b.append("</tbody></table><p id=\"empty\" hidden>No finding matches the filters.</p></section>\n");
    }

    /** Element content: {@code & < >} and quotes escaped, control characters dropped. */
    static String text(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t' || c == 0x7f) {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** A double-quoted attribute value: the same escaping (quotes included). */
    static String attr(String s) {
        return text(s);
    }

    private static final String CSS = """
            body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 2em 3em;color:#1d232a}
            header h1{margin:.6em 0 0}.meta{color:#5a6570;margin:.2em 0 1em}
            .surfaces{display:grid;grid-template-columns:1fr 1fr;gap:1.5em}
            .surface{border:1px solid #d5dbe1;border-radius:8px;padding:0 1em 1em}
            .surface h2{text-transform:capitalize}
            .counts{list-style:none;padding:0;display:flex;gap:1em;flex-wrap:wrap}.counts b{font-size:1.4em}
            .chart text{font-size:12px;fill:#1d232a}
            .sev-critical{background:#7a0b0b;fill:#7a0b0b;color:#fff}.sev-high{background:#c0392b;fill:#c0392b;color:#fff}
            .sev-medium{background:#e67e22;fill:#e67e22}.sev-low{background:#f1c40f;fill:#f1c40f}
            .sev-info{background:#95a5a6;fill:#95a5a6}
            .counts li{padding:.2em .6em;border-radius:4px}
            .filters{position:sticky;top:0;background:#fff;padding:.6em 0;display:flex;gap:1em;flex-wrap:wrap;
              border-bottom:1px solid #d5dbe1;z-index:1}
            table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.35em .5em;
              border-bottom:1px solid #e6eaee;overflow-wrap:break-word;word-break:break-word}
            .findings td:nth-child(1){white-space:nowrap}.findings td:nth-child(2){min-width:13em}
            .findings td:nth-child(3){min-width:14em;max-width:22em}.findings td:nth-child(4){min-width:12em;max-width:20em}
            .badge{padding:.1em .5em;border-radius:4px;font-size:.85em}
            .posture td{width:40%}.posture td:first-child{width:20%}.status-not-scanned{color:#5a6570;font-style:italic}
            .status-clean b{color:#1e7e34}.drill ul{margin:.2em 0 .2em 1.2em;padding:0}
            tr[data-suppressed=true]{opacity:.6}.fp{color:#5a6570;font-size:.8em}.status-failed td{color:#a31515}
            code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em}
            @media print{.filters{display:none}details{display:block}tr[hidden]{display:none}
              .surfaces{grid-template-columns:1fr 1fr}}
            """;

    /**
     * Filters rows by the controls' values; the URL fragment presets them (and is kept in step), so a link shows a
     * view and a test can open one.
     */
    private static final String JS = """
            (function(){
            'use strict';
            var order=['critical','high','medium','low','info'];
            var names=['severity','surface','theme','target','control','q','suppressed'];
            function el(n){return document.getElementById('f-'+n);}
            function val(n){var e=el(n);return e.type==='checkbox'?e.checked:e.value;}
            function apply(){
              var sev=val('severity'),min=sev?order.indexOf(sev):order.length;
              var q=val('q').toLowerCase(),shown=0,rows=document.querySelectorAll('table.findings tbody tr');
              for(var i=0;i<rows.length;i++){
                var r=rows[i],d=r.dataset,ok=true;
                if(sev&&order.indexOf(d.severity)>min)ok=false;
                ['surface','theme','target','control'].forEach(function(n){var v=val(n);if(v&&d[n]!==v)ok=false;});
                if(d.suppressed==='true'&&!val('suppressed'))ok=false;
                if(q&&r.textContent.toLowerCase().indexOf(q)<0)ok=false;
                r.hidden=!ok;if(ok)shown++;
              }
              document.getElementById('shown').textContent=shown+' of '+rows.length+' finding(s) shown';
              document.getElementById('empty').hidden=shown>0;
              var h=[];names.forEach(function(n){var v=val(n);if(v)h.push(n+'='+encodeURIComponent(v===true?'1':v));});
              var frag=h.join('&');try{if(location.hash.slice(1)!==frag)history.replaceState(null,'',frag?'#'+frag:location.pathname);}catch(e){}
            }
            function load(){
              var h=location.hash.slice(1);if(!h)return;
              h.split('&').forEach(function(kv){
                var i=kv.indexOf('='),k=i<0?kv:kv.slice(0,i),v=i<0?'':decodeURIComponent(kv.slice(i+1));
                var e=names.indexOf(k)>=0?el(k):null;if(!e)return;
                if(e.type==='checkbox')e.checked=v==='1'||v==='true';else e.value=v;
              });
            }
            load();
            names.forEach(function(n){var e=el(n);e.addEventListener(e.tagName==='SELECT'||e.type==='checkbox'?'change':'input',apply);});
            apply();
            })();
            """;
}
