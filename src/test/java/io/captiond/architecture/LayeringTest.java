package io.captiond.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of captiond: a small core (the folder contract, the messages between stages, the
 * configuration tree and plain helpers) and one package per pipeline stage. A stage depends on the
 * core, never on another stage; only the application layer (once mode, the web pages) sees several
 * stages at once. Cycles between packages are refused everywhere.
 */
@AnalyzeClasses(packages = "io.captiond", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    private static final String[] CORE = {"io.captiond.core..", "io.captiond.config..", "io.captiond.support.."};
    private static final String[] STAGES = {"io.captiond.watch..", "io.captiond.normalise..", "io.captiond.caption..",
        "io.captiond.packaging..", "io.captiond.upload..", "io.captiond.report..", "io.captiond.export.."};

    @ArchTest
    static final ArchRule packages_are_free_of_cycles = slices().matching("io.captiond.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule the_core_depends_on_no_stage = noClasses().that().resideInAnyPackage(CORE)
            .should().dependOnClassesThat().resideOutsideOfPackages(withJdkAndLibraries(CORE))
            .because("the core owns the folder contract and the message types; stages build on it");

    @ArchTest
    static final ArchRule watch_depends_on_no_other_stage = stageIsolated("watch");

    @ArchTest
    static final ArchRule normalise_depends_on_no_other_stage = stageIsolated("normalise");

    @ArchTest
    static final ArchRule caption_depends_on_no_other_stage = stageIsolated("caption");

    @ArchTest
    static final ArchRule packaging_depends_on_no_other_stage = stageIsolated("packaging");

    @ArchTest
    static final ArchRule upload_depends_on_no_other_stage = stageIsolated("upload");

    @ArchTest
    static final ArchRule report_depends_on_no_other_stage = stageIsolated("report");

    @ArchTest
    static final ArchRule export_depends_on_no_other_stage = stageIsolated("export");

    private static ArchRule stageIsolated(String stage) {
        String own = "io.captiond." + stage + "..";
        String[] others = java.util.Arrays.stream(STAGES).filter(s -> !s.equals(own)).toArray(String[]::new);
        return noClasses().that().resideInAPackage(own).should().dependOnClassesThat().resideInAnyPackage(others)
                .because("stages talk through the core's folders and messages (and Camel endpoints), not to each other");
    }

    /** The core's allowed world: itself plus everything that is not captiond's own code. */
    private static String[] withJdkAndLibraries(String... own) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(own), java.util.stream.Stream.of("java..", "javax..",
                "jakarta..", "org..", "com..", "io.micrometer..")).toArray(String[]::new);
    }
}
