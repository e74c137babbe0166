package dev.posture.serverless.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * Turns SDK exceptions into one-line reasons for failed targets, e.g.
 * {@code lambda:GetPolicy AccessDeniedException: User ... is not authorized (HTTP 403)}.
 * Messages come from the service or the HTTP stack and never contain credentials.
 */
final class AwsErrors {

    private AwsErrors() {
    }

    /** A call that failed after the SDK's retries; the message is the reason for the target. */
    static final class CallFailed extends RuntimeException {
        CallFailed(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    /** Runs one API call, converting an SDK failure into {@link CallFailed} with a reason. */
    static <T> T call(String operation, String endpoint, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw new CallFailed(describe(operation, endpoint, e), e);
        }
    }

    static String describe(String operation, String endpoint, SdkException e) {
        if (e instanceof AwsServiceException ase) {
            String code = ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorCode();
            String message = ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorMessage();
            StringBuilder sb = new StringBuilder(operation).append(' ')
                    .append(code == null ? ase.getClass().getSimpleName() : code)
                    .append(": ").append(message == null ? "(no message)" : oneLine(message))
                    .append(" (HTTP ").append(ase.statusCode());
            if (ase.isThrottlingException()) {
                sb.append(", throttled");
                Integer attempts = ase.numAttempts();
                if (attempts != null) {
                    sb.append("; gave up after ").append(attempts).append(attempts == 1 ? " attempt" : " attempts");
                }
            }
            return sb.append(')').toString();
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return operation + ": no response from endpoint " + endpoint + " in time (" + oneLine(e.getMessage()) + ")";
        }
        Throwable io = ioCause(e);
        if (io != null) {
            return operation + ": cannot reach endpoint " + endpoint + " (" + io.getClass().getSimpleName()
                    + (io.getMessage() == null ? "" : ": " + oneLine(io.getMessage())) + attempts(e) + ")";
        }
        return operation + ": " + oneLine(e.getMessage()) + " (endpoint " + endpoint + ")";
    }

    private static String attempts(SdkException e) {
        Integer n = e.numAttempts();
        return n == null || n <= 1 ? "" : "; " + n + " attempts";
    }

    private static Throwable ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return t;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.replaceAll("\\s+", " ").trim();
        return line.length() > 400 ? line.substring(0, 400) + "…" : line;
    }
}
