package dev.netns.benchmarks;

import dev.netns.junit.NetNamespace;
import dev.netns.junit.VethLink;
import org.junit.jupiter.api.Test;

/**
 * The test classes {@link ExtensionBenchmark} runs through the JUnit Platform: ten empty tests,
 * once with a two-host network per test and once without, so that the difference is what the
 * extension adds to each test.
 *
 * <pre>{@code
 * launcher.execute(request().selectors(selectClass(TwoHostNetwork.class)).build(), listener);
 * }</pre>
 */
public final class ExtensionFixtures {
  /** The number of tests in each fixture class. */
  static final int TESTS = 10;

  private ExtensionFixtures() {}

  /** Ten tests, each with its own two namespaces joined by a veth pair. */
  @NetNamespace("blue")
  @NetNamespace("red")
  @VethLink(a = "blue", aAddress = "10.250.8.1/24", b = "red", bAddress = "10.250.8.2/24")
  public static class TwoHostNetwork {
    @Test
    void test01() {}

    @Test
    void test02() {}

    @Test
    void test03() {}

    @Test
    void test04() {}

    @Test
    void test05() {}

    @Test
    void test06() {}

    @Test
    void test07() {}

    @Test
    void test08() {}

    @Test
    void test09() {}

    @Test
    void test10() {}
  }

  /** The same ten tests without a network. */
  public static class NoNetwork {
    @Test
    void test01() {}

    @Test
    void test02() {}

    @Test
    void test03() {}

    @Test
    void test04() {}

    @Test
    void test05() {}

    @Test
    void test06() {}

    @Test
    void test07() {}

    @Test
    void test08() {}

    @Test
    void test09() {}

    @Test
    void test10() {}
  }
}
