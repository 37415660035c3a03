package dev.edgeiam.lambda.local;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link LaunchRun#ratioInterval}: the bootstrap interval behind the start-up report's INTERVAL and COMPARE lines. */
class LaunchRunIntervalTest {

    static double[] noisy(SplittableRandom random, int n, double centre, double spread) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = centre * (1 + spread * (random.nextDouble() - 0.5));
        }
        return v;
    }

    @Test
    void samePackageTwiceCoversOne() {
        SplittableRandom random = new SplittableRandom(1);
        double[] a = noisy(random, 16, 1000, 0.4);
        double[] b = noisy(random, 16, 1000, 0.4);
        double[] interval = LaunchRun.ratioInterval(a, b);
        assertTrue(interval[0] <= 1 && 1 <= interval[1], interval[0] + "-" + interval[1]);
    }

    @Test
    void aThirdSlowerExcludesOneAndCoversTheTruth() {
        SplittableRandom random = new SplittableRandom(2);
        double[] a = noisy(random, 16, 1300, 0.2);
        double[] b = noisy(random, 16, 1000, 0.2);
        double[] interval = LaunchRun.ratioInterval(a, b);
        assertTrue(interval[0] > 1.1, interval[0] + "-" + interval[1]);
        assertTrue(interval[0] <= 1.3 && 1.3 <= interval[1], interval[0] + "-" + interval[1]);
    }

    @Test
    void noiselessRatioIsExact() {
        double[] interval = LaunchRun.ratioInterval(new double[]{1200, 1200, 1200}, new double[]{1000, 1000, 1000});
        assertArrayEquals(new double[]{1.2, 1.2}, interval, 1e-12);
    }

    @Test
    void widerNoiseWidensTheInterval() {
        SplittableRandom random = new SplittableRandom(3);
        double[] quietA = noisy(random, 16, 1000, 0.05);
        double[] quietB = noisy(random, 16, 1000, 0.05);
        double[] loudA = noisy(random, 16, 1000, 0.8);
        double[] loudB = noisy(random, 16, 1000, 0.8);
        double[] quiet = LaunchRun.ratioInterval(quietA, quietB);
        double[] loud = LaunchRun.ratioInterval(loudA, loudB);
        assertTrue(loud[1] - loud[0] > 3 * (quiet[1] - quiet[0]), "quiet " + (quiet[1] - quiet[0]) + ", loud "
                + (loud[1] - loud[0]));
    }
}
