package dev.netns.junit.internal;

import dev.netns.junit.NetNamespace;
import dev.netns.junit.NetNs;
import dev.netns.junit.Network;
import dev.netns.junit.Ns;
import java.lang.reflect.Field;
import java.lang.reflect.Parameter;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/** Hands the network and its namespaces to fields and parameters that ask for them. */
final class Injection {
  private Injection() {}

  /** Sets the static ({@code instance} null) or instance fields of {@code c} that ask. */
  static void injectFields(Class<?> c, Object instance, DefaultNetwork network, boolean statics) {
    for (Field field : Declarations.injectedFields(c, statics)) {
      Optional<String> name = Declarations.fieldNamespace(field);
      Object value = name.isPresent() ? network.namespace(name.get()) : network;
      try {
        field.setAccessible(true);
        field.set(instance, value);
      } catch (IllegalAccessException e) {
        throw new ExtensionConfigurationException("cannot inject field " + field, e);
      }
    }
  }

  static boolean supports(ParameterContext parameterContext) {
    Parameter parameter = parameterContext.getParameter();
    return parameter.getType() == NetNs.class
        || parameter.getType() == Network.class
        || parameterContext.isAnnotated(Ns.class)
        || parameterContext.isAnnotated(NetNamespace.class);
  }

  /** The value of a parameter; {@code resource} is null where no network exists. */
  static Object resolve(ParameterContext parameterContext, NetworkResource resource) {
    Parameter parameter = parameterContext.getParameter();
    String where =
        "parameter "
            + parameterContext.getIndex()
            + " of "
            + parameterContext.getDeclaringExecutable().getName()
            + "()";
    Optional<Ns> ns = parameterContext.findAnnotation(Ns.class);
    Optional<NetNamespace> declared = parameterContext.findAnnotation(NetNamespace.class);
    boolean wantsNamespace = ns.isPresent() || declared.isPresent();
    if (wantsNamespace && parameter.getType() != NetNs.class) {
      throw new ParameterResolutionException(
          "@"
              + (ns.isPresent() ? "Ns" : "NetNamespace")
              + " on "
              + where
              + " needs type NetNs, but it is "
              + parameter.getType().getName());
    }
    if (parameter.getType() == NetNs.class && !wantsNamespace) {
      throw new ParameterResolutionException(
          "NetNs " + where + " needs @Ns(\"name\") to say which namespace it receives");
    }
    if (resource == null) {
      throw new ParameterResolutionException(
          where
              + " asks for the network, which exists only per test method; use @SharedNetwork on"
              + " the class for @BeforeAll and @AfterAll methods");
    }
    DefaultNetwork network = resource.network();
    if (!wantsNamespace) {
      return network;
    }
    String name =
        ns.map(Ns::value)
            .orElseGet(() -> Declarations.parameterNamespaceName(parameter, declared.get()));
    if (!network.has(name)) {
      throw new ParameterResolutionException(
          "@Ns(\""
              + name
              + "\") on "
              + where
              + " names no declared namespace (declared: "
              + String.join(", ", network.running().topology().hosts())
              + ")");
    }
    return network.namespace(name);
  }
}
