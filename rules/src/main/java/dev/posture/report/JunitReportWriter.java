package dev.posture.report;

import dev.posture.model.Finding;
import dev.posture.model.Location;
import dev.posture.model.Severity;
import dev.posture.model.Target;
import dev.posture.model.TargetRef;
import dev.posture.model.TargetStatus;
import dev.posture.scan.ScanResult;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JUnit XML for CI test views (GitLab, Jenkins, GitHub test-report actions): one {@code <testsuite>} per
 * target, one {@code <testcase>} per rule × target (classname = target, name = rule id) for every rule checked
 * on that target's type ({@link ScanResult#checks()}) and every rule with findings there. Unsuppressed findings
 * make a {@code <failure>} (message: severity and count; body: each finding's message and location); a rule
 * without findings, or whose findings are all suppressed, passes. A scanned target with no rule at all (a
 * result read from an older report) has one passing {@code scan} testcase; a failed or skipped target one
 * {@code <skipped>} testcase with the reason and no rule testcases (nothing was checked). Written with the JDK's {@link XMLStreamWriter}, so text is escaped; characters XML 1.0
 * cannot hold at all (control characters) are written as {@code \\uXXXX}.
 */
public final class JunitReportWriter implements ReportWriter {

    @Override
    public void write(ScanResult result, OutputStream out) throws IOException {
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            Map<TargetRef, List<Finding>> byTarget = new LinkedHashMap<>();
            for (Target t : result.targets()) {
                byTarget.put(t.ref(), new ArrayList<>());
            }
            for (Finding f : result.findings()) {
                byTarget.computeIfAbsent(f.target(), k -> new ArrayList<>()).add(f);
            }
            List<Suite> suites = new ArrayList<>();
            for (Target t : result.targets()) {
                suites.add(suite(t, byTarget.get(t.ref()), result.checks().getOrDefault(t.type(), List.of())));
            }
            int tests = 0;
            int failures = 0;
            int skipped = 0;
            for (Suite s : suites) {
                tests += s.cases.size();
                failures += s.failures();
                skipped += s.skipped();
            }
            x.writeStartElement("testsuites");
            x.writeAttribute("name", "posture");
            x.writeAttribute("tests", String.valueOf(tests));
            x.writeAttribute("failures", String.valueOf(failures));
            x.writeAttribute("errors", "0");
            x.writeAttribute("skipped", String.valueOf(skipped));
            x.writeCharacters("\n");
            for (Suite s : suites) {
                x.writeCharacters("  ");
                x.writeStartElement("testsuite");
                x.writeAttribute("name", xml(s.target.type().id() + " " + s.target.name()));
                x.writeAttribute("tests", String.valueOf(s.cases.size()));
                x.writeAttribute("failures", String.valueOf(s.failures()));
                x.writeAttribute("errors", "0");
                x.writeAttribute("skipped", String.valueOf(s.skipped()));
                x.writeCharacters("\n");
                for (Case c : s.cases) {
                    x.writeCharacters("    ");
                    x.writeStartElement("testcase");
                    x.writeAttribute("classname", xml(s.target.name()));
                    x.writeAttribute("name", xml(c.name));
                    if (c.skipped != null) {
                        x.writeStartElement("skipped");
                        x.writeAttribute("message", xml(c.skipped));
                        x.writeEndElement();
                    } else if (!c.open.isEmpty()) {
                        x.writeStartElement("failure");
                        x.writeAttribute("message", failureMessage(c.open));
                        x.writeAttribute("type", c.open.get(0).rule().severity().id());
                        x.writeCharacters(xml(body(c.open)));
                        x.writeEndElement();
                    }
                    if (c.suppressed > 0) {
                        x.writeStartElement("system-out");
                        x.writeCharacters(c.suppressed + " suppressed finding(s)");
                        x.writeEndElement();
                    }
                    x.writeEndElement();
                    x.writeCharacters("\n");
                }
                x.writeCharacters("  ");
                x.writeEndElement();
                x.writeCharacters("\n");
            }
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.flush();
            x.close();
            out.flush();
        } catch (XMLStreamException e) {
            throw new IOException("writing the junit report failed: " + e.getMessage(), e);
        }
    }

    private record Case(String name, List<Finding> open, int suppressed, String skipped) {
    }

    private record Suite(Target target, List<Case> cases) {
        int failures() {
            return (int) cases.stream().filter(c -> c.skipped == null && !c.open.isEmpty()).count();
        }

        int skipped() {
            return (int) cases.stream().filter(c -> c.skipped != null).count();
        }
    }

    private static Suite suite(Target t, List<Finding> findings, List<String> checked) {
        List<Case> cases = new ArrayList<>();
        Map<String, List<Finding>> byRule = new TreeMap<>();
        if (t.status() != TargetStatus.SCANNED) {
            cases.add(new Case("scan", List.of(), 0, t.status().id() + ": " + (t.error() == null ? "" : t.error())));
        } else {
            checked.forEach(id -> byRule.put(id, new ArrayList<>()));
        }
        for (Finding f : findings) {
            byRule.computeIfAbsent(f.rule().id(), k -> new ArrayList<>()).add(f);
        }
        for (Map.Entry<String, List<Finding>> e : byRule.entrySet()) {
            List<Finding> open = e.getValue().stream().filter(f -> !f.suppressed()).toList();
            cases.add(new Case(e.getKey(), open, e.getValue().size() - open.size(), null));
        }
        if (cases.isEmpty()) {
            cases.add(new Case("scan", List.of(), 0, null));
        }
        return new Suite(t, cases);
    }

    private static String failureMessage(List<Finding> open) {
        Severity sev = open.get(0).rule().severity();
        return sev.id() + ": " + open.size() + (open.size() == 1 ? " finding" : " findings");
    }

    private static String body(List<Finding> open) {
        StringBuilder b = new StringBuilder();
        for (Finding f : open) {
            b.append(TerminalText.escape(f.message()));
            String where = where(f);
            if (!where.isEmpty()) {
                b.append(" (").append(TerminalText.escape(where)).append(')');
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String where(Finding f) {
        List<String> parts = new ArrayList<>();
        Location l = f.location();
        if (l != null && l.file() != null) {
            parts.add(l.line() > 0 ? l.file() + ":" + l.line() : l.file());
        }
        if (f.logicalLocation() != null) {
            parts.add(f.logicalLocation());
        } else if (f.resource() != null) {
            parts.add(f.resource());
        }
        if (f.path() != null && (f.logicalLocation() == null || !f.logicalLocation().contains(f.path()))) {
            parts.add(f.path());
        }
        return String.join(", ", parts);
    }

    /**
     * Text XML 1.0 can hold: control characters (other than tab and newline in bodies), lone surrogates and
     * U+FFFE/U+FFFF as {@code \\uXXXX}. The stream writer escapes {@code < & > "} itself.
     */
    static String xml(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
                continue;
            }
            ok = c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f) || (c > 0x9f && c != '\u2028' && c != '\u2029'
                    && !Character.isSurrogate(c) && c != '\ufffe' && c != '\uffff');
            if (ok) {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }
}
