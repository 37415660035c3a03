package dev.edgeiam.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Red-team pass 25, opt-in ({@code -Dredteam25.old=<main classes before the changes>}): the same random
 * resource-policy simulations ({@link RedteamPass25PrincipalDriver}) through the old and this build's main classes,
 * each in its own class loader. Every difference is written to {@code target/redteam25-diff.txt} and classified; a
 * difference is accepted only when the old answer was the one the bare-account-id fix meant to correct (caller,
 * resources and owner all in one non-aws partition). {@code -Dredteam25.count=N} (default 20000),
 * {@code -Dredteam25.new=dir[:dir]} (default target/classes; a mutant's classes first), {@code -Dredteam25.strict=true}:
 * every difference counts (old and new are then two builds that should agree, e.g. a mutant against this one).
 */
class RedteamPass25PrincipalDifferentialTest {

    static URLClassLoader isolated(String mainClasses) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String dir : mainClasses.split(File.pathSeparator)) {
            urls.add(Path.of(dir).toUri().toURL()); // a mutant's classes first, then the build they patch
        }
        for (String entry : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                .split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.exists(p) && !p.endsWith(Path.of("target", "classes"))) {
                urls.add(p.toUri().toURL());
            }
        }
        return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    }

    @SuppressWarnings("unchecked")
    static List<String> answers(ClassLoader loader, List<String> bodies) throws Exception {
        Class<?> driver = Class.forName(RedteamPass25PrincipalDriver.class.getName(), true, loader);
        Method m = driver.getMethod("answers", List.class);
        return (List<String>) m.invoke(null, bodies);
    }

    @Test
    void oldAndNewAgreeOnPrincipals() throws Exception {
        String old = System.getProperty("redteam25.old");
        Assumptions.assumeTrue(old != null, "set -Dredteam25.old");
        String now = System.getProperty("redteam25.new", Path.of("target", "classes").toAbsolutePath().toString());
        int count = Integer.getInteger("redteam25.count", 20_000);
        List<String> bodies = RedteamPass25PrincipalDriver.bodies(Long.getLong("redteam25.seed", 25L), count);
        List<String> a;
        List<String> b;
        try (URLClassLoader ol = isolated(old); URLClassLoader nl = isolated(now)) {
            a = answers(ol, bodies);
            b = answers(nl, bodies);
        }
        List<String> report = new ArrayList<>();
        int unexplained = 0;
        int explained = 0;
        for (int i = 0; i < bodies.size(); i++) {
            if (!a.get(i).equals(b.get(i))) {
                boolean intended = !Boolean.getBoolean("redteam25.strict")
                        && (intended(bodies.get(i)) || refusedWithoutAnIamAnswer(bodies.get(i), b.get(i)));
                if (intended) {
                    explained++;
                } else {
                    unexplained++;
                }
                report.add((intended ? "INTENDED " : "UNEXPLAINED ") + i + "\n body: " + bodies.get(i)
                        + "\n old: " + a.get(i) + "\n new: " + b.get(i));
            }
        }
        Files.write(Path.of("target", "redteam25-diff.txt"), report);
        System.out.println("RedteamPass25PrincipalDifferentialTest bodies=" + count + " differences=" + report.size()
                + " intended=" + explained + " unexplained=" + unexplained);
        assertEquals(0, unexplained, "see target/redteam25-diff.txt");
    }

    /**
     * The pass's two findings, fixed by refusing them: the new build answers InvalidInput where the caller is not a
     * principal ARN (this test's own reading: {@code arn:<partition>:iam::<12 digits>:root|user/…|role/…} or
     * {@code arn:<partition>:sts::<12 digits>:assumed-role/…|federated-user/…}) or where the caller, a resource ARN or
     * the owner are in different partitions. A refusal is never an Allow.
     */
    static boolean refusedWithoutAnIamAnswer(String body, String newAnswer) throws Exception {
        if (!newAnswer.startsWith("error InvalidInput")) {
            return false;
        }
        com.fasterxml.jackson.databind.JsonNode n = RedteamPass25PrincipalDriver.JSON.readTree(body);
        String caller = n.path("CallerArn").asText();
        if (!caller.matches("arn:aws[a-z-]*:(iam::[0-9]{12}:(root|(user|role)/.+)|sts::[0-9]{12}:"
                + "(assumed-role|federated-user)/.+)")) {
            return true;
        }
        String partition = caller.substring(0, caller.indexOf(':', 4) + 1);
        for (com.fasterxml.jackson.databind.JsonNode r : n.path("ResourceArns")) {
            if (r.asText().startsWith("arn:") && !r.asText().startsWith(partition)) {
                return true;
            }
        }
        return n.has("ResourceOwner") && !n.get("ResourceOwner").asText().startsWith(partition);
    }

    /** Caller ARN, every resource ARN and the owner in one partition other than aws. */
    static boolean intended(String body) throws Exception {
        com.fasterxml.jackson.databind.JsonNode n = RedteamPass25PrincipalDriver.JSON.readTree(body);
        String caller = n.path("CallerArn").asText();
        if (!caller.startsWith("arn:aws-")) {
            return false;
        }
        String partition = caller.substring(0, caller.indexOf(':', 4) + 1);
        for (com.fasterxml.jackson.databind.JsonNode r : n.path("ResourceArns")) {
            if (!r.asText().startsWith(partition)) {
                return false;
            }
        }
        return !n.has("ResourceOwner") || n.get("ResourceOwner").asText().startsWith(partition);
    }
}
