package dev.edgeiam.principal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CloudTrail-recorded IAM calls reduce to exactly the users, roles (and sessions), groups or policies they change. */
class IamChangeEventTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Optional<IamChangeEvent> event(String name, String params, String extra) throws IOException {
        JsonNode e = JSON.readTree("{\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.iam\","
                + "\"detail\":{\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"" + name + "\","
                + "\"requestParameters\":" + params + extra + "}}");
        return IamChangeEvent.from(e);
    }

    @Test
    void roleChangesReachTheRoleWhateverItsPathAndItsSessions() throws IOException {
        IamChangeEvent.Target t = event("AttachRolePolicy", "{\"roleName\":\"ConnectAgentWebRole\","
                + "\"policyArn\":\"arn:aws:iam::111122223333:policy/p\"}", "").orElseThrow().target();
        assertTrue(t.affects("arn:aws:iam::111122223333:role/connect/ConnectAgentWebRole"));
        assertTrue(t.affects("arn:aws:sts::111122223333:assumed-role/ConnectAgentWebRole/agent-carol"));
        assertFalse(t.affects("arn:aws:iam::111122223333:role/connect/ConnectAgentWebRole2"));
        assertFalse(t.affects("arn:aws:sts::111122223333:assumed-role/ConnectAgentWebRole2/x"));
        assertFalse(t.affects("arn:aws:iam::111122223333:user/ConnectAgentWebRole"));
    }

    @Test
    void userGroupAndPolicyChanges() throws IOException {
        IamChangeEvent.Target user = event("AddUserToGroup", "{\"userName\":\"carol\",\"groupName\":\"Agents\"}", "")
                .orElseThrow().target();
        assertTrue(user.affects("arn:aws:iam::111122223333:user/support/carol"));
        assertFalse(user.affects("arn:aws:iam::111122223333:user/caroline"));
        IamChangeEvent.Target group = event("PutGroupPolicy", "{\"groupName\":\"ConnectAgents\","
                + "\"policyName\":\"x\"}", "").orElseThrow().target();
        assertTrue(group.affects("arn:aws:iam::111122223333:group/ConnectAgents"));
        IamChangeEvent.Target policy = event("SetDefaultPolicyVersion",
                "{\"policyArn\":\"arn:aws:iam::111122223333:policy/connect/A\",\"versionId\":\"v2\"}", "")
                .orElseThrow().target();
        assertTrue(policy.affects("arn:aws:iam::111122223333:policy/connect/A"));
        assertFalse(policy.affects("arn:aws:iam::111122223333:policy/connect/AB"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"AttachGroupPolicy", "DetachGroupPolicy", "PutGroupPolicy", "DeleteGroupPolicy",
            "DeleteGroup", "UpdateGroup"})
    void everyGroupCallReachesTheGroupWhateverItsPath(String name) throws IOException {
        IamChangeEvent.Target t = event(name, "{\"groupName\":\"Agents\",\"policyArn\":\"arn:aws:iam::1:policy/p\","
                + "\"policyName\":\"x\"}", "").orElseThrow().target();
        assertEquals(new IamChangeEvent.Group("Agents"), t);
        assertTrue(t.affects("arn:aws:iam::111122223333:group/teams/Agents"));
        assertFalse(t.affects("arn:aws:iam::111122223333:group/Agents2"));
        assertFalse(t.affects("arn:aws:iam::111122223333:user/Agents"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"AddUserToGroup", "RemoveUserFromGroup"})
    void membershipCallsReachTheUser(String name) throws IOException {
        assertEquals(new IamChangeEvent.User("carol"), event(name, "{\"groupName\":\"Agents\",\"userName\":\"carol\"}",
                "").orElseThrow().target());
    }

    @ParameterizedTest
    @ValueSource(strings = {"CreatePolicyVersion", "DeletePolicyVersion", "SetDefaultPolicyVersion", "DeletePolicy"})
    void managedPolicyCallsReachThePolicy(String name) throws IOException {
        assertEquals(new IamChangeEvent.Policy("arn:aws:iam::1:policy/p"), event(name,
                "{\"policyArn\":\"arn:aws:iam::1:policy/p\",\"versionId\":\"v2\"}", "").orElseThrow().target());
    }

    @Test
    void readsFailedCallsAndOtherServicesChangeNothing() throws IOException {
        assertTrue(event("GetUser", "{\"userName\":\"carol\"}", "").isEmpty());
        assertTrue(event("AttachUserPolicy", "{\"userName\":\"carol\",\"policyArn\":\"arn:aws:iam::1:policy/p\"}",
                ",\"errorCode\":\"AccessDenied\"").isEmpty());
        assertTrue(IamChangeEvent.from(JSON.readTree("{\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\"}"))
                .isEmpty());
        assertEquals("AttachUserPolicy", event("AttachUserPolicy", "{\"userName\":\"carol\","
                + "\"policyArn\":\"arn:aws:iam::1:policy/p\"}", "").orElseThrow().eventName());
    }
}
