package dev.edgeiam.lambda;

import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.gateway.AuthorizerEventBytes;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.edgeiam.lambda.EdgeHarness.INSTANCE;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A credential of 64 characters or fewer (an opaque key, a short token: a longer one stays in the event's bytes) is
 * not kept in the reading thread's short values after its request, in any format: the request's header, the TOKEN
 * event's token, HTTP API's identity source and raw query. The thread's other short values are kept (the control: the
 * table works, so an absent credential was forgotten, not never stored).
 */
class ShortCredentialNotKeptTest {

    private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"}]}";
    private static final String PATH = "/users/" + INSTANCE + "/u-1";
    /** Of 1, 35, 64 and 65 characters (the last is left in the event's bytes, never kept). */
    private static final List<String> CREDENTIALS = List.of("!", "Bearer opaque-key-0123456789-abcdef",
            "Bearer " + "x".repeat(57), "Bearer " + "y".repeat(58));

    @Test
    void aShortCredentialIsForgottenAfterItsRequestInEveryFormat() { // its text and its bytes
        EdgeHarness h = new EdgeHarness(CacheModel.API_GATEWAY_DEFAULT, POLICY);
        for (String credential : CREDENTIALS) {
            assertNotNull(h.answer(h.restRequest(credential, "GET", PATH, Map.of(), "198.51.100.23")));
            assertFalse(AuthorizerEventBytes.holdsValue(credential), "REST REQUEST header " + credential);
            assertTrue(AuthorizerEventBytes.holdsValue("edge-test/1.0"), "the control: a user agent is kept");

            assertNotNull(h.answer(h.tokenEvent(credential, "GET", PATH)));
            assertFalse(AuthorizerEventBytes.holdsValue(credential), "REST TOKEN " + credential);

            String rawQuery = "token=" + credential.replace(' ', '+');
            assertNotNull(h.answer(h.httpRequest(credential, "GET", PATH, rawQuery, "GET /users/{InstanceId}/{UserId}",
                    List.of(credential))));
            assertFalse(AuthorizerEventBytes.holdsValue(credential), "HTTP API identity source " + credential);
            assertFalse(AuthorizerEventBytes.holdsValue(rawQuery), "HTTP API raw query " + rawQuery);
        }
    }
}
