package io.uffdgc.uffd;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import io.uffdgc.uffd.UffdFeatures.Feature;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The userfaultfd features a test (or every test of a class) needs. On a kernel
 * without one of them the test is skipped with the reason, as the kernel's
 * uffd-unit-tests skip a test whose features are missing; it never fails for it.
 */
@Target({TYPE, METHOD})
@Retention(RUNTIME)
@ExtendWith(RequiresUffdFeature.Condition.class)
public @interface RequiresUffdFeature {
    Feature[] value();

    /** Probes the kernel once per test JVM. */
    final class Condition implements ExecutionCondition {
        private static Set<Feature> supported;

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            var needs = AnnotationSupport.findAnnotation(context.getElement(), RequiresUffdFeature.class);
            if (needs.isEmpty()) return ConditionEvaluationResult.enabled("needs no userfaultfd feature");
            Set<Feature> missing = EnumSet.noneOf(Feature.class);
            Collections.addAll(missing, needs.get().value());
            missing.removeAll(supported());
            return missing.isEmpty() ? ConditionEvaluationResult.enabled("the kernel has every feature needed")
                    : ConditionEvaluationResult.disabled(lacks(missing));
        }

        /** The reason a test is skipped, e.g. "kernel lacks UFFD_FEATURE_MOVE (Linux 6.8+): 6.1.0-18-amd64". */
        static String lacks(Set<Feature> missing) {
            StringBuilder b = new StringBuilder("kernel lacks");
            String sep = " ";
            for (Feature f : missing) {
                b.append(sep).append("UFFD_FEATURE_").append(f).append(f == Feature.MOVE ? " (Linux 6.8+)" : "");
                sep = ", ";
            }
            return b.append(": ").append(System.getProperty("os.version")).toString();
        }

        private static synchronized Set<Feature> supported() {
            if (supported == null) {
                try (Userfaultfd probe = Userfaultfd.open(EnumSet.noneOf(Feature.class))) {
                    supported = probe.supportedFeatures();
                }
            }
            return supported;
        }
    }
}
