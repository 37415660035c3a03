package dev.edgeiam.connect;

import dev.edgeiam.request.IamNames;
import dev.edgeiam.request.Wildcards;
import java.util.Objects;

/**
 * An IAM {@code Action} / {@code NotAction} value with the wildcards {@code *} (any run of
 * characters, including none) and {@code ?} (exactly one character). Action names are matched
 * case-insensitively (IAM User Guide, "IAM JSON policy elements: Action").
 *
 * @param pattern the pattern text, e.g. {@code connect:Describe*}
 */
public record ActionGlob(String pattern) {

    public ActionGlob {
        Objects.requireNonNull(pattern, "pattern");
    }

    /**
     * @return true if the whole text matches the pattern, ignoring case as IAM folds names (A–Z only: U+212A KELVIN
     *         SIGN is not {@code k}, {@link IamNames#fold})
     */
    public boolean matches(String text) {
        return Wildcards.matches(IamNames.fold(pattern), IamNames.fold(text));
    }
}
