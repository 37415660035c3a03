package dev.edgeiam.gateway;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A lent {@link WrittenAnswer} reads as exactly the bytes written (as an array and through a stream) on its own
 * thread until that thread starts another answer; after that, and on any other thread, it refuses to be read rather
 * than read as another answer's bytes. An answer given as an array is that array.
 */
class WrittenAnswerTest {

    private static String text(SplittableRandom random) {
        StringBuilder b = new StringBuilder();
        for (int i = random.nextInt(3_000); i > 0; i--) {
            b.append((char) random.nextInt(0x20, 0x7f));
        }
        return b.toString();
    }

    private static WrittenAnswer answer(AnswerBytes w, String text) {
        return w.reset().startObject().name("t").string(text).endObject().lend();
    }

    private static byte[] expected(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(java.util.Map.of("t", text));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void lentBytesReadAsWrittenUntilTheNextAnswer() throws Exception {
        SplittableRandom random = new SplittableRandom(1206);
        AnswerBytes w = new AnswerBytes();
        for (int round = 0; round < 500; round++) {
            String text = text(random);
            WrittenAnswer lent = answer(w, text);
            assertEquals(expected(text).length, lent.length());
            assertArrayEquals(expected(text), lent.bytes());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            lent.writeTo(out);
            lent.writeTo(out);
            assertEquals(new String(expected(text), StandardCharsets.UTF_8).repeat(2), out.toString(StandardCharsets.UTF_8));
            WrittenAnswer next = answer(w, text(random)); // the writer starts another answer
            assertInstanceOf(IllegalStateException.class, assertThrows(IllegalStateException.class, lent::bytes));
            assertThrows(IllegalStateException.class, () -> lent.writeTo(new ByteArrayOutputStream()));
            next.bytes();
        }
        WrittenAnswer lent = answer(w, "x");
        w.reset(); // a writer reset after an exception also ends the lease
        assertThrows(IllegalStateException.class, lent::bytes);
    }

    @Test
    void anotherThreadCannotReadLentBytes() throws InterruptedException {
        WrittenAnswer lent = answer(new AnswerBytes(), "from this thread");
        CompletableFuture<byte[]> elsewhere = CompletableFuture.supplyAsync(lent::bytes);
        ExecutionException failure = assertThrows(ExecutionException.class, elsewhere::get);
        assertInstanceOf(IllegalStateException.class, failure.getCause());
        assertArrayEquals(expected("from this thread"), lent.bytes(), "still readable on its own thread");
    }

    @Test
    void theWritersAnswersAreLentAndAnAnswerGivenAsAnArrayIsThatArray() throws Exception {
        WrittenAnswer first = AuthorizerResponses.simple(true, AnswerContext.of("p",
                new dev.edgeiam.authorize.RouteAuthorization(dev.edgeiam.evaluate.Reason.UNKNOWN_PRINCIPAL, null,
                        java.util.List.of(), null, null, -1, "x")));
        byte[] firstBytes = first.bytes();
        AuthorizerResponses.simple(false, AnswerContext.of("q",
                new dev.edgeiam.authorize.RouteAuthorization(dev.edgeiam.evaluate.Reason.UNKNOWN_PRINCIPAL, null,
                        java.util.List.of(), null, null, -1, "x")));
        assertThrows(IllegalStateException.class, first::bytes, "the thread's next answer ends the first's lease");
        assertEquals('{', firstBytes[0]);
        byte[] own = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        WrittenAnswer given = WrittenAnswer.of(own);
        assertSame(own, given.bytes());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        given.writeTo(out);
        assertArrayEquals(own, out.toByteArray());
    }
}
