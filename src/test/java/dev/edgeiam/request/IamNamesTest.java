package dev.edgeiam.request;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class IamNamesTest {

    @Test
    void onlyAsciiLettersFold() {
        assertEquals("aws:principaltag/team", IamNames.fold("AWS:PrincipalTag/Team"));
        assertEquals("aws:principaltag/\u212Aey", IamNames.fold("aws:PrincipalTag/\u212Aey"));
        assertEquals("connect:describe\u00C9", IamNames.fold("Connect:Describe\u00C9"));
    }

    @Test
    void aContextKeySpelledWithTheKelvinSignIsNotTheAsciiKey() {
        RequestContext r = RequestContext.builder("connect:DescribeUser", "*")
                .put("aws:PrincipalTag/\u212Aey", "spoofed").build();
        assertNull(r.get("aws:principaltag/key"));
    }
}
