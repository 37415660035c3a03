package dev.edgeiam.identity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Fetches the JWKS document: always the one configured URL (nothing from a token — no {@code jku}, no
 * {@code kid} — ever becomes part of what is fetched). Implementations must bound time and size.
 */
@FunctionalInterface
public interface JwksFetcher {

    /** The JWKS JSON text. */
    String fetch() throws IOException;

    /**
     * A fetcher for {@code https:} URLs (or {@code http:} on a loopback host, for tests), with a connect and
     * request timeout and a size bound; redirects are not followed. {@code file:} URLs read a local file (local
     * runs), with the same size bound.
     */
    static JwksFetcher forUrl(URI url, Duration timeout, int maxBytes) {
        String scheme = String.valueOf(url.getScheme()).toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            // file:/abs/path and the relative form file:dir/jwks.json (resolved against the working directory)
            Path path = url.isOpaque() ? Path.of(url.getSchemeSpecificPart()) : Path.of(url);
            return new JwksFetcher() {
                @Override
                public String fetch() throws IOException {
                    try (InputStream in = Files.newInputStream(path)) {
                        return readBounded(in, maxBytes);
                    }
                }
            };
        }
        if (!scheme.equals("https") && !(scheme.equals("http") && IdentitySettings.isLoopback(url.getHost()))) {
            throw new IllegalArgumentException("JWKS URL scheme not allowed: " + scheme);
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return new JwksFetcher() {
            @Override
            public String fetch() throws IOException {
                HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET()
                        .header("Accept", "application/jwk-set+json, application/json").build();
                HttpResponse<InputStream> response;
                try {
                    response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while fetching the JWKS", e);
                }
                try (InputStream in = response.body()) {
                    if (response.statusCode() != 200) {
                        throw new IOException("the JWKS endpoint answered HTTP " + response.statusCode());
                    }
                    return readBounded(in, maxBytes);
                }
            }
        };
    }

    /** Reads at most {@code maxBytes} bytes as UTF-8; more is an error (not a truncation). */
    static String readBounded(InputStream in, int maxBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            if (total > maxBytes) {
                throw new IOException("the JWKS document is larger than " + maxBytes + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
