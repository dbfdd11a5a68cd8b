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
 * One network for the whole class: built before {@code @BeforeAll}, shared by every test method
 * (and by {@code @Nested} classes inside), torn down after {@code @AfterAll}. Without it, each test
 * method gets a fresh network. A {@code static} field of type {@link NetNs} or {@link Network}
 * implies it, as a static {@code @TempDir} does.
 *
 * <pre>{@code
 * @SharedNetwork
 * @NetNamespace("server")
 * @NetNamespace("client")
 * @VethLink(a = "server", aAddress = "10.9.0.1/24", b = "client", bAddress = "10.9.0.2/24")
 * class ExpensiveServerTest { ... }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(NetNsExtension.class)
public @interface SharedNetwork {}
