package io.statelesslb;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module map of docs/architecture.md, kept: arrows only point down (each module uses only the modules below it
 * in the map), the packet path and the domain use nothing with I/O, and no package anywhere is in a cycle.
 */
class ArchitectureTest {

    /**
     * Each module's root package, and the modules it may use (those it depends on, and what they expose), from the
     * bottom of the map up.
     */
    private static final Map<String, Set<String>> MAY_USE = new LinkedHashMap<>();

    static {
        MAY_USE.put("engine", Set.of());
        MAY_USE.put("domain", Set.of());
        MAY_USE.put("dataplane", Set.of("domain", "engine"));
        MAY_USE.put("sim", Set.of("dataplane", "domain", "engine"));
        MAY_USE.put("nfqueue", Set.of("dataplane", "domain", "engine"));
        MAY_USE.put("bird", Set.of("dataplane", "domain"));
        MAY_USE.put("api", Set.of("domain"));
        MAY_USE.put("eventlog", Set.of("api", "domain"));
        MAY_USE.put("controller", Set.of("eventlog", "api", "dataplane", "domain", "engine"));
        MAY_USE.put("config", Set.of("domain"));
        MAY_USE.put("server", Set.of("controller", "config", "api", "eventlog", "sim", "nfqueue", "bird",
                "dataplane", "domain", "engine"));
        MAY_USE.put("cli", Set.of("server", "controller", "config", "api", "eventlog", "sim", "nfqueue", "bird",
                "dataplane", "domain", "engine"));
    }

    private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar.*");

    private static JavaClasses classes;

    @BeforeAll
    static void importEveryModule() {
        // Tests are left out, those of this module and those other modules share as test-jars.
        ImportOption productionOnly = location -> !location.contains("/test-classes/")
                && !location.matches(TEST_JAR);
        classes = new ClassFileImporter().withImportOption(productionOnly).importPackages("io.statelesslb");
    }

    private static String root(String module) {
        return "io.statelesslb." + module + "..";
    }

    @Test
    void everyModuleIsOnTheClasspathOfThisTest() {
        for (String module : MAY_USE.keySet()) {
            assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith("io.statelesslb." + module)))
                    .as("classes of module %s", module).isTrue();
        }
    }

    @Test
    void arrowsOnlyPointDown() {
        for (Map.Entry<String, Set<String>> module : MAY_USE.entrySet()) {
            Set<String> forbidden = new TreeSet<>(MAY_USE.keySet());
            forbidden.remove(module.getKey());
            forbidden.removeAll(module.getValue());
            if (forbidden.isEmpty()) {
                continue;
            }
            noClasses().that().resideInAPackage(root(module.getKey()))
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden.stream()
                            .map(ArchitectureTest::root).toArray(String[]::new))
                    .because("module " + module.getKey() + " may use only " + (module.getValue().isEmpty()
                            ? "the JDK" : String.join(", ", new TreeSet<>(module.getValue()))))
                    .check(classes);
        }
    }

    @Test
    void theBackendsKnowNothingOfEachOther() {
        noClasses().that().resideInAPackage(root("sim")).should().dependOnClassesThat()
                .resideInAPackage(root("nfqueue")).check(classes);
        noClasses().that().resideInAPackage(root("nfqueue")).should().dependOnClassesThat()
                .resideInAPackage(root("sim")).check(classes);
        // The routing daemon is a port the dataplanes take: the kernel's never names BIRD, nor BIRD the kernel's.
        noClasses().that().resideInAPackage(root("nfqueue")).should().dependOnClassesThat()
                .resideInAPackage(root("bird")).check(classes);
        noClasses().that().resideInAPackage(root("bird")).should().dependOnClassesThat()
                .resideInAnyPackage(root("nfqueue"), root("sim")).check(classes);
    }

    @Test
    void theEventStreamIsAPortThatKnowsNeitherStoreAndOnlyTheDaemonPicksEtcd() {
        noClasses().that().resideInAPackage("io.statelesslb.eventlog.stream..").should().dependOnClassesThat()
                .resideInAnyPackage("io.statelesslb.eventlog", "io.statelesslb.eventlog.etcd..").check(classes);
        noClasses().that().resideInAnyPackage("io.statelesslb.eventlog", root("controller")).should()
                .dependOnClassesThat().resideInAPackage("io.statelesslb.eventlog.etcd..")
                .because("the controller folds any stream; the composition root chooses which").check(classes);
    }

    @Test
    void thePacketPathIsArraysAndPrimitivesOverTheJdkAlone() {
        classes().that().resideInAPackage(root("engine")).should().onlyDependOnClassesThat()
                .resideInAnyPackage(root("engine"), "java.lang..", "java.util..", "java.nio")
                .because("the engine is the packet path: no collections library, no plan types, no I/O")
                .check(classes);
    }

    @Test
    void theDomainIsPureValuesOverVavr() {
        classes().that().resideInAPackage(root("domain")).should().onlyDependOnClassesThat()
                .resideInAnyPackage(root("domain"), "io.vavr..", "java.lang..", "java.util..", "java.time..")
                .because("decide, evolve, plan and diff take nothing but their arguments: no I/O, no clock")
                .check(classes);
    }

    @Test
    void theHttpLayerSeesTheControllerNotTheCompositionRoot() {
        noClasses().that().resideInAPackage("io.statelesslb.server.http..").should().dependOnClassesThat()
                .haveFullyQualifiedName("io.statelesslb.server.Daemon").check(classes);
        noClasses().that().resideInAPackage("io.statelesslb.server.http..").should().dependOnClassesThat()
                .haveFullyQualifiedName("io.statelesslb.controller.TrenchController").check(classes);
    }

    @Test
    void noPackageIsInACycle() {
        slices().matching("io.statelesslb.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theModulesOfTheMapAreTheOnlyOnes() {
        List<String> modules = classes.stream().map(c -> c.getPackageName().split("\\.")).filter(p -> p.length > 2)
                .map(p -> p[2]).distinct().sorted().toList();
        assertThat(modules).containsExactlyInAnyOrderElementsOf(MAY_USE.keySet());
    }
}
