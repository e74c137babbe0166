package dev.posture.policy.opa;

import java.util.List;

/**
 * A request to OPA that failed: no answer (connection refused, reset, timed out), an error status with OPA's
 * error body ({@code code}, {@code message}, {@code errors[]}), or an answer that is not what the API documents.
 */
public final class OpaException extends Exception {
    private static final long serialVersionUID = 1L;

    /** One of OPA's per-location errors ({@code errors[]} of an error body). */
    public record Detail(String code, String message, String file, int row, int col) {
        /** {@code file:row:col: code: message}, as OPA prints it. */
        public String describe() {
            StringBuilder sb = new StringBuilder();
            if (file != null && !file.isEmpty()) {
                sb.append(file);
                if (row > 0) {
                    sb.append(':').append(row);
                    if (col > 0) {
                        sb.append(':').append(col);
                    }
                }
                sb.append(": ");
            }
            if (code != null && !code.isEmpty()) {
                sb.append(code).append(": ");
            }
            return sb.append(message).toString();
        }
    }

    private final String request;
    private final int status;
    private final String code;
    private final String opaMessage;
    private final transient List<Detail> details;
    private final boolean noAnswer;

    OpaException(String request, int status, String code, String opaMessage, List<Detail> details, boolean noAnswer) {
        super(render(request, status, code, opaMessage));
        this.request = request;
        this.status = status;
        this.code = code;
        this.opaMessage = opaMessage;
        this.details = List.copyOf(details);
        this.noAnswer = noAnswer;
    }

    private static String render(String request, int status, String code, String message) {
        StringBuilder sb = new StringBuilder(request).append(": ");
        if (status > 0) {
            sb.append("HTTP ").append(status).append(' ');
        }
        if (code != null && !code.isEmpty()) {
            sb.append(code).append(": ");
        }
        return sb.append(message).toString();
    }

    /** {@code POST /v1/data/posture/kubernetes}. */
    public String request() {
        return request;
    }

    /** The HTTP status, 0 when there was no answer. */
    public int status() {
        return status;
    }

    /** OPA's error code ({@code invalid_parameter}, {@code internal_error}, {@code unauthorized}…), or null. */
    public String code() {
        return code;
    }

    public String opaMessage() {
        return opaMessage;
    }

    public List<Detail> details() {
        return details;
    }

    /**
     * No HTTP answer at all: the server is down, unreachable or did not answer in time (every request would fail
     * alike, so the evaluator does not ask package by package).
     */
    public boolean noAnswer() {
        return noAnswer;
    }
}
