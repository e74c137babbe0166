package dev.posture.serverless.aws;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;

import java.time.Duration;

/**
 * HTTP and retry tuning of the SDK clients. {@link #standard()} is what the CLI uses: the SDK's
 * standard retry strategy (3 attempts, exponential backoff with jitter, longer backoff for
 * throttling) and the SDK's default timeouts. Tests pass short timeouts and backoff.
 *
 * @param apiCallTimeout        whole call including retries; null = no limit (SDK default)
 * @param apiCallAttemptTimeout one HTTP attempt; null = no limit (SDK default)
 * @param connectTimeout        TCP connect
 * @param socketTimeout         read
 * @param retryStrategy         the SDK retry strategy
 */
public record AwsClientSettings(Duration apiCallTimeout, Duration apiCallAttemptTimeout, Duration connectTimeout,
                                Duration socketTimeout, RetryStrategy retryStrategy) {

    public AwsClientSettings {
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        socketTimeout = socketTimeout == null ? Duration.ofSeconds(30) : socketTimeout;
        retryStrategy = retryStrategy == null ? AwsRetryStrategy.standardRetryStrategy() : retryStrategy;
    }

    /** The SDK standard retry policy, 5 s connect and 30 s read timeouts, 2 minutes per call. */
    public static AwsClientSettings standard() {
        return new AwsClientSettings(Duration.ofMinutes(2), null, Duration.ofSeconds(5), Duration.ofSeconds(30),
                AwsRetryStrategy.standardRetryStrategy());
    }
}
