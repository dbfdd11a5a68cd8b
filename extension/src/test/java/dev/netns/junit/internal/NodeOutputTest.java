package dev.netns.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's output file read back: lines as they complete, the tail, and the prefixed echo. */
class NodeOutputTest {
  @TempDir Path dir;

  @Test
  void readsCompleteLinesAsTheyComeAndKeepsTheUnfinishedOne() throws Exception {
    NodeOutput output = NodeOutput.create(dir.resolve("sub/n1-a.log"), "[a] ");
    NodeOutput.Cursor cursor = output.cursor(0);
    append(output, "one\r\ntw");
    assertThat(cursor.next()).containsExactly("one");
    assertThat(cursor.rest()).contains("tw");
    append(output, "o\nthree");
    assertThat(cursor.next()).containsExactly("two");
    assertThat(output.lastLines(2)).containsExactly("two", "three");
    assertThat(output.lastLines(0)).isEmpty();
    assertThat(output.cursor(output.size()).next()).isEmpty();
  }

  @Test
  void truncatesAnEarlierRunsFile() throws Exception {
    Path file = dir.resolve("n1-a.log");
    Files.writeString(file, "old\n");
    NodeOutput.create(file, "[a] ");
    assertThat(file).isEmptyFile();
  }

  @Test
  void echoesEveryLineWithThePrefixUntilClosed() throws Exception {
    NodeOutput output = NodeOutput.create(dir.resolve("n1-a.log"), "[a] ");
    append(output, "before\n");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    output.echo(out);
    output.echo(out); // once
    append(output, "after\nlast");
    output.close();
    assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
        .containsExactly("[a] before", "[a] after", "[a] last");
  }

  private static void append(NodeOutput output, String text) throws Exception {
    Files.writeString(output.file(), text, StandardOpenOption.APPEND);
  }
}
