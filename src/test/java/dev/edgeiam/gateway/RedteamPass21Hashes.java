package dev.edgeiam.gateway;

/** Test-only access to {@link RecentTexts#hash} for the red-team pass 21 tests outside the package. */
public final class RedteamPass21Hashes {

    private RedteamPass21Hashes() {
    }

    public static int hash(byte[] in, int start, int end, boolean lowerCase) {
        return RecentTexts.hash(in, start, end, lowerCase);
    }
}
