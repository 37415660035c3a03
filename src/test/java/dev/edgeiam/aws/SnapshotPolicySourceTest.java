package dev.edgeiam.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeiam.principal.PolicySourceException;
import dev.edgeiam.principal.PrincipalPolicies;
import dev.edgeiam.principal.PrincipalResolver;
import dev.edgeiam.principal.UnknownPrincipalException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The snapshot reader without moto: document forms, URL decoding, incomplete snapshots. */
class SnapshotPolicySourceTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String DOC = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"connect:Describe*\",\"Resource\":\"arn:aws:connect:us-east-1:111122223333:instance/a+b\"}]}";

    static String encoded(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) || "-_.~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    @Test
    void decodesOnlyWhatIsEncoded() {
        assertEquals(DOC, PolicyDocuments.decode(DOC));
        assertEquals(DOC, PolicyDocuments.decode(encoded(DOC)));
        assertTrue(PolicyDocuments.decode(encoded(DOC)).contains("a+b"), "%2B is a plus");
        assertEquals("{\"Sid\":\"a+b c\"}", PolicyDocuments.decode("%7B%22Sid%22%3A%22a+b%20c%22%7D"),
                "RFC 3986: + stays +");
        assertEquals("{\"Sid\":\"é\"}", PolicyDocuments.decode("%7B%22Sid%22%3A%22%C3%A9%22%7D"));
        assertEquals("  {\"a\":1}", PolicyDocuments.decode("  {\"a\":1}"));
    }

    @Test
    void readsStringDocumentsEncodedOrNot() throws Exception {
        String snapshot = """
                {"UserDetailList": [{"Path": "/", "UserName": "u", "UserId": "AIDAU", "Arn": "arn:aws:iam::111122223333:user/u",
                  "UserPolicyList": [{"PolicyName": "enc", "PolicyDocument": "%s"}],
                  "GroupList": [], "AttachedManagedPolicies": [{"PolicyName": "M", "PolicyArn": "arn:aws:iam::111122223333:policy/M"}]}],
                 "GroupDetailList": [], "RoleDetailList": [],
                 "Policies": [{"PolicyName": "M", "Arn": "arn:aws:iam::111122223333:policy/M", "DefaultVersionId": "v2",
                   "PolicyVersionList": [{"Document": %s, "VersionId": "v1", "IsDefaultVersion": false},
                                         {"Document": %s, "VersionId": "v2", "IsDefaultVersion": true}]}]}
                """.formatted(encoded(DOC), JSON.writeValueAsString("{\"Version\":\"2012-10-17\",\"Statement\":[]}"),
                JSON.writeValueAsString(DOC));
        Path file = Files.createTempFile("snapshot", ".json");
        try {
            Files.writeString(file, snapshot);
            SnapshotPolicySource source = SnapshotPolicySource.fromFile(file);
            PrincipalPolicies u = source.load("arn:aws:iam::111122223333:user/u");
            assertEquals(DOC, u.identity().get(0).document());
            assertEquals("v2", u.identity().get(1).versionId());
            assertEquals(DOC, u.identity().get(1).document());
            assertTrue(PrincipalResolver.compile(u).policies().identity().statementCount() > 0);
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void anIncompleteSnapshotFailsTheLoadInsteadOfDroppingPolicies() throws Exception {
        JsonNode root = JSON.readTree("""
                {"UserDetailList": [
                   {"UserName": "a", "Arn": "arn:aws:iam::111122223333:user/a", "GroupList": ["Missing"]},
                   {"UserName": "b", "Arn": "arn:aws:iam::111122223333:user/b",
                    "AttachedManagedPolicies": [{"PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]}],
                 "Policies": []}""");
        SnapshotPolicySource source = SnapshotPolicySource.fromJson(root);
        PolicySourceException group = assertThrows(PolicySourceException.class,
                () -> source.load("arn:aws:iam::111122223333:user/a"));
        assertFalse(group instanceof UnknownPrincipalException);
        PolicySourceException policy = assertThrows(PolicySourceException.class,
                () -> source.load("arn:aws:iam::111122223333:user/b"));
        assertTrue(policy.getMessage().contains("ReadOnlyAccess"), policy.getMessage());
        assertThrows(UnknownPrincipalException.class, () -> source.load("arn:aws:iam::111122223333:user/c"));
        assertThrows(IllegalArgumentException.class, () -> SnapshotPolicySource.fromJson(JSON.readTree("[]")));
        assertThrows(IllegalArgumentException.class, () -> SnapshotPolicySource.fromClasspath("/nope.json"));
    }

    @Test
    void sampleAccountCompilesForEveryPrincipal() throws Exception {
        SnapshotPolicySource sample = SnapshotPolicySource.fromClasspath("/snapshot/sample-account.json");
        for (String arn : sample.principalArns()) {
            assertTrue(PrincipalResolver.compile(sample.load(arn)).policies().statementCount() > 0, arn);
        }
        PrincipalPolicies session = sample.load(
                "arn:aws:sts::111122223333:assumed-role/ConnectSupervisorRole/bob");
        assertEquals("AROAEXAMPLESUPVROLE1:bob", session.principal().userId());
        assertEquals("arn:aws:iam::111122223333:role/connect/ConnectSupervisorRole", session.principal().entityArn());
        assertThrows(UnknownPrincipalException.class,
                () -> sample.load("arn:aws:sts::999999999999:assumed-role/ConnectSupervisorRole/bob"));
    }
}
