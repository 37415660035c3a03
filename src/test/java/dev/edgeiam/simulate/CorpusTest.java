package dev.edgeiam.simulate;

import dev.edgeiam.corpus.Corpus;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The evaluation and malformed-policy corpus (every file {@link Corpus#discover} finds), run through
 * SimulateCustomPolicy: one dynamic test per case, checking the simulator's request and response shape as well as
 * the decision. The evaluator itself is checked on the same corpus, without the simulator, by
 * {@code evaluate.EvaluationCorpusTest}.
 */
class CorpusTest {

    @TestFactory
    List<DynamicContainer> corpus() {
        List<DynamicContainer> containers = new ArrayList<>();
        for (Corpus.CorpusFile file : Corpus.discover()) {
            containers.add(DynamicContainer.dynamicContainer(file.name(), CaseRunner.tests(file.cases())));
        }
        return containers;
    }
}
