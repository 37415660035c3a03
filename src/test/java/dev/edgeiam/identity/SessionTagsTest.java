package dev.edgeiam.identity;

import dev.edgeiam.evaluate.Reason;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** STS's session-tag rules and the case-insensitive precedence of session tags over role/user tags. */
class SessionTagsTest {

    private static Reason reason(Map<String, String> tags, Set<String> transitive) {
        return assertThrows(CredentialRejectedException.class, () -> SessionTags.of(tags, transitive)).reason();
    }

    @Test
    void limits() throws Exception {
        Map<String, String> fifty = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            fifty.put("k" + i, "v");
        }
        assertEquals(50, SessionTags.of(fifty, Set.of()).tags().size());
        fifty.put("k50", "v");
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_SESSION_TAGS, reason(fifty, Set.of()));

        SessionTags.of(Map.of("k".repeat(128), "v".repeat(256)), Set.of());
        SessionTags.of(Map.of("empty-value", ""), Set.of());
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_SESSION_TAGS, reason(Map.of("k".repeat(129), "v"), Set.of()));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_SESSION_TAGS, reason(Map.of("k", "v".repeat(257)), Set.of()));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_SESSION_TAGS, reason(Map.of("", "v"), Set.of()));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_SESSION_TAGS, reason(Map.of("aws:team", "v"), Set.of()));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_SESSION_TAGS, reason(Map.of("team<script>", "v"), Set.of()));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_SESSION_TAGS, reason(Map.of("team", "a\nb"), Set.of()));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_SESSION_TAGS, reason(Map.of("Team", "a", "team", "b"), Set.of()));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_SESSION_TAGS, reason(Map.of("team", "a"), Set.of("project")));
        assertEquals(Set.of("TEAM"), SessionTags.of(Map.of("team", "a"), Set.of("TEAM")).transitiveKeys());
    }

    @Test
    void claimShape() throws Exception {
        assertEquals(Map.of("Project", "Automation", "CostCenter", "987654"), SessionTags.fromClaim(Map.of(
                "principal_tags", Map.of("Project", List.of("Automation"), "CostCenter", List.of("987654")),
                "transitive_tag_keys", List.of("Project"))).tags());
        assertEquals(SessionTags.NONE, SessionTags.fromClaim(null));
        assertThrows(CredentialRejectedException.class, () -> SessionTags.fromClaim("tags"));
        assertThrows(CredentialRejectedException.class, () -> SessionTags.fromClaim(Map.of("principal_tags",
                Map.of("a", List.of()))));
        assertThrows(CredentialRejectedException.class, () -> SessionTags.fromClaim(Map.of("principal_tags",
                Map.of("a", List.of(1)))));
        assertThrows(CredentialRejectedException.class, () -> SessionTags.fromClaim(Map.of("principal_tags",
                Map.of("a", List.of("x")), "transitive_tag_keys", "a")));
    }

    @Test
    void sessionTagsOverrideBaseTagsIgnoringCase() throws Exception {
        Map<String, String> role = new LinkedHashMap<>();
        role.put("Team", "green");
        role.put("cost", "cc-1");
        SessionTags session = SessionTags.of(Map.of("TEAM", "blue"), Set.of());
        assertEquals(Map.of("cost", "cc-1", "TEAM", "blue"), session.overlay(role));
        assertEquals(role, SessionTags.NONE.overlay(role));
    }
}
