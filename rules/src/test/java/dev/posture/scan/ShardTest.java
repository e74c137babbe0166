package dev.posture.scan;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardTest {

    @Test
    void thePartitionIsAFixedFunctionOfTheName() {
        // 1 + (first 8 bytes of SHA-256, unsigned) mod N: the same on every machine and in every version
        // (python3: int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], 'big') % n + 1)
        assertThat(Shard.of("k8s/deploy.yaml", 3)).isEqualTo(1);
        assertThat(Shard.of("ghcr.io/acme/app:1.0", 7)).isEqualTo(2);
        assertThat(Shard.of("aws", 2)).isEqualTo(1);
        assertThat(Shard.of("", 5)).isEqualTo(3);
    }

    @Test
    void everyNameHasExactlyOneShardAndTheyAreSpread() {
        int n = 7;
        Map<Integer, Integer> sizes = new HashMap<>();
        for (int i = 0; i < 7000; i++) {
            String name = "infra/app-" + i + ".yaml";
            int owners = 0;
            for (int k = 1; k <= n; k++) {
                if (new Shard(k, n).owns(name)) {
                    owners++;
                    sizes.merge(k, 1, Integer::sum);
                }
            }
            assertThat(owners).isEqualTo(1);
        }
        assertThat(sizes).hasSize(n);
        assertThat(sizes.values()).allSatisfy(c -> assertThat(c).isBetween(850, 1150));
    }

    @Test
    void parse() {
        assertThat(Shard.parse("2/5")).isEqualTo(new Shard(2, 5));
        assertThat(Shard.parse(" 1 / 1 ")).isEqualTo(Shard.ALL);
        assertThat(Shard.parse("1/1").whole()).isTrue();
        assertThatThrownBy(() -> Shard.parse("3/2")).hasMessageContaining("K (3) is larger than the number of shards N (2)");
        assertThatThrownBy(() -> Shard.parse("0/0")).hasMessageContaining("N must be at least 1");
        assertThatThrownBy(() -> Shard.parse("0/3")).hasMessageContaining("K must be at least 1");
        assertThatThrownBy(() -> Shard.parse("a/b")).hasMessageContaining("whole numbers");
        assertThatThrownBy(() -> Shard.parse("3")).hasMessageContaining("is not K/N");
    }
}
