package dev.netns.junit;

import dev.netns.junit.internal.NetNsExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Takes the test's network from a static method of the test class that returns a {@code
 * dev.netns.topology.Topology}, for networks too big or too regular for annotations. Injection,
 * lifecycle and teardown are those of annotated networks. The factory declares the whole network:
 * other network annotations on the class are refused.
 *
 * <pre>{@code
 * @TopologyFactory("cluster")
 * class FiftyNodesTest {
 *   static Topology cluster() { return Topologies.lan("lan", "10.0.0.0/24", 50).build(); }
 *   @Test void n50IsThere(@Ns("n50") NetNs n50) { ... }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(NetNsExtension.class)
public @interface TopologyFactory {
  /** The name of a static, parameterless method of the test class returning a Topology. */
  String value();
}
