package dev.edgeiam.policy;

import java.util.List;
import java.util.Map;

/**
 * A JSON value that remembers where it was in the source text and its JSON pointer, so that every
 * error the policy grammar finds can name its exact location.
 */
sealed interface LocatedJson {

    SourcePosition start();

    SourcePosition end();

    String pointer();

    /** JSON kind as a word for messages ("a string", "an object", ...). */
    String kindName();

    record JObject(Map<String, Member> members, SourcePosition start, SourcePosition end, String pointer)
            implements LocatedJson {
        public String kindName() {
            return "an object";
        }
    }

    /** An object member: its key's position and its value. */
    record Member(String key, SourcePosition keyPosition, LocatedJson value) {
    }

    record JArray(List<LocatedJson> items, SourcePosition start, SourcePosition end, String pointer)
            implements LocatedJson {
        public String kindName() {
            return "an array";
        }
    }

    record JString(String value, SourcePosition start, SourcePosition end, String pointer) implements LocatedJson {
        public String kindName() {
            return "a string";
        }
    }

    /** A number, kept as its source text so nothing is lost to floating point. */
    record JNumber(String text, SourcePosition start, SourcePosition end, String pointer) implements LocatedJson {
        public String kindName() {
            return "a number";
        }
    }

    record JBoolean(boolean value, SourcePosition start, SourcePosition end, String pointer) implements LocatedJson {
        public String kindName() {
            return "a boolean";
        }
    }

    record JNull(SourcePosition start, SourcePosition end, String pointer) implements LocatedJson {
        public String kindName() {
            return "null";
        }
    }
}
