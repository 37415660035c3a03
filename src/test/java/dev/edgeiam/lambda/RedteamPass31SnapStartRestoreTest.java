package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RED TEAM pass 31: the deployed wiring (Quarkus, test profile: development issuer, bundled account). Every
 * authorizer sample event, plus priming's own event shapes (same method ARNs, API id, stage, ids) carrying the sample
 * events' real token, answered by the live dispatcher before and after org.crac.Core.checkpointRestore() (priming,
 * now with the authorizer-path copy, then afterRestore). The answers must be the same bytes.
 */
@QuarkusTest
class RedteamPass31SnapStartRestoreTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EventDispatcher dispatcher;

    @Inject
    AuthorizerConfig config;

    List<byte[]> events() throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (String name : List.of("rest-request", "rest-request-full", "rest-request-other-agent",
                "rest-request-custom-route", "rest-token", "rest-token-missing", "http-v2-request",
                "websocket-connect")) {
            out.add(Files.readAllBytes(Path.of("events", name + ".json")));
        }
        String token = JSON.readTree(Files.readString(Path.of("events", "rest-token.json")))
                .get("authorizationToken").asText();
        java.lang.reflect.Method m = AuthorizerPathPriming.class.getDeclaredMethod("events",
                dev.edgeiam.connect.ArnContext.class, GatewayAuthorizer.Settings.class, String.class, long.class);
        m.setAccessible(true);
        GatewayAuthorizer.Settings s = LambdaBeans.AuthorizerServices.gatewaySettings(config);
        @SuppressWarnings("unchecked")
        List<ObjectNode> primingShaped = (List<ObjectNode>) m.invoke(null, s.connect(), s, token,
                System.currentTimeMillis());
        for (ObjectNode e : primingShaped) {
            out.add(e.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    List<String> answers(List<byte[]> events) {
        List<String> out = new ArrayList<>();
        for (byte[] e : events) {
            EventDispatcher.Dispatch d = dispatcher.dispatch(e);
            String body = new String(d.responseJson(), StandardCharsets.UTF_8)
                    .replaceAll("\"requestTime[^,}]*", ""); // none expected; guard against time fields
            out.add((d.unauthorized() ? "401 " : "") + (d.logFields() == null ? "-" : d.logFields().decision() + ":"
                    + d.logFields().reason()) + " " + body);
        }
        return out;
    }

    @Test
    void liveAnswersAreTheSameBeforeAndAfterPrimingAndRestore() throws Exception {
        List<byte[]> events = events();
        List<String> before = answers(events);
        org.crac.Core.checkpointRestore();
        List<String> after = answers(events);
        org.crac.Core.checkpointRestore();
        List<String> again = answers(events);
        System.out.println("RP31 restore: " + events.size() + " events\n" + String.join("\n",
                before.stream().map(x -> x.substring(0, Math.min(120, x.length()))).toList()));
        assertEquals(before, after);
        assertEquals(before, again);
    }
}
