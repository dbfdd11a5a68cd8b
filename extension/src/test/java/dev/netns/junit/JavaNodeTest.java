package dev.netns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The spec of a JVM node: its command line, its defaults, and what it refuses, by name. */
class JavaNodeTest {
  @Test
  void defaultsToTheTestsJvmAndClasspath() {
    JavaNode spec = JavaNode.main(RecordServer.class);
    assertThat(spec.name()).isEqualTo("RecordServer");
    assertThat(spec.command())
        .containsExactly(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "dev.netns.junit.RecordServer");
    assertThat(spec.workingDirectory()).isEmpty();
    assertThat(spec.environment()).isEmpty();
  }

  @Test
  void buildsTheCommandInTheOrderTheLauncherWants() {
    JavaNode spec =
        JavaNode.main("org.example.Server")
            .name("s1")
            .jvmOptions("-Xmx64m")
            .systemProperty("a", "1")
            .args("x")
            .args("y")
            .jvmOptions("-ea")
            .systemProperty("b", "2")
            .classpath(List.of(Path.of("/opt/a.jar"), Path.of("/opt/b.jar")))
            .javaHome(Path.of("/opt/jdk"))
            .workingDirectory(Path.of("/tmp"))
            .environment("K", "V");
    assertThat(spec.command())
        .containsExactly(
            "/opt/jdk/bin/java",
            "-Xmx64m",
            "-ea",
            "-Da=1",
            "-Db=2",
            "-cp",
            "/opt/a.jar" + File.pathSeparator + "/opt/b.jar",
            "org.example.Server",
            "x",
            "y");
    assertThat(spec.workingDirectory()).contains(Path.of("/tmp"));
    assertThat(spec.environment()).isEqualTo(Map.of("K", "V"));
    assertThat(spec).hasToString("JavaNode[s1: org.example.Server x y]");
  }

  @Test
  void isImmutable() {
    JavaNode base = JavaNode.main("org.example.Server");
    base.args("x").name("other");
    assertThat(base.command()).endsWith("org.example.Server");
    assertThat(base.name()).isEqualTo("Server");
  }

  @Test
  void refusesBadInputNamingTheCall() {
    assertThatThrownBy(() -> JavaNode.main((Class<?>) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("JavaNode.main: the main class is null");
    assertThatThrownBy(() -> JavaNode.main(new Object() {}.getClass()))
        .hasMessageEndingWith(
            " cannot be a main class of its own JVM (anonymous, local or array); use a top-level"
                + " or static nested class");
    assertThatThrownBy(() -> JavaNode.main("not a class"))
        .hasMessage("JavaNode.main: 'not a class' is no class name (such as com.example.Server)");
    JavaNode spec = JavaNode.main(RecordServer.class);
    assertThatThrownBy(() -> spec.name("a/b"))
        .hasMessage(
            "JavaNode.name: 'a/b' is no node name: use 1 to 64 letters, digits, '.', '_' or '-'");
    assertThatThrownBy(() -> spec.jvmOptions("Xmx1g"))
        .hasMessage(
            "JavaNode.jvmOptions: 'Xmx1g' is no JVM option (they start with '-'); program arguments"
                + " go to args(...)");
    assertThatThrownBy(() -> spec.jvmOptions("-cp"))
        .hasMessage("JavaNode.jvmOptions: set the class path with classpath(...), not -cp");
    assertThatThrownBy(() -> spec.args("a", null)).hasMessage("JavaNode.args: an argument is null");
    assertThatThrownBy(() -> spec.systemProperty("a=b", "c"))
        .hasMessage("JavaNode.systemProperty: 'a=b' is no property key (non-empty, without '=')");
    assertThatThrownBy(() -> spec.systemProperty("a", null))
        .hasMessage("JavaNode.systemProperty: the value of a is null");
    assertThatThrownBy(() -> spec.classpath(List.of()))
        .hasMessage("JavaNode.classpath: give at least one entry, and no null");
    assertThatThrownBy(() -> spec.workingDirectory(null))
        .hasMessage("JavaNode.workingDirectory: the path is null");
    assertThatThrownBy(() -> spec.javaHome(null)).hasMessage("JavaNode.javaHome: the path is null");
    assertThatThrownBy(() -> spec.environment("", "x"))
        .hasMessage(
            "JavaNode.environment: ''=x is no environment entry (a non-empty key without '=', and a"
                + " value)");
  }
}
