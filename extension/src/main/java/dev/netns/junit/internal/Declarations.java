package dev.netns.junit.internal;

import dev.netns.junit.Lan;
import dev.netns.junit.NetNamespace;
import dev.netns.junit.NetNs;
import dev.netns.junit.Network;
import dev.netns.junit.Ns;
import dev.netns.junit.Route;
import dev.netns.junit.Router;
import dev.netns.junit.SharedNetwork;
import dev.netns.junit.TopologyFactory;
import dev.netns.junit.VethLink;
import dev.netns.topology.LanDeclaration;
import dev.netns.topology.RouteDeclaration;
import dev.netns.topology.Topology;
import dev.netns.topology.TopologyException;
import dev.netns.topology.VethDeclaration;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/** Reads a test class's network declarations (annotations, fields, parameters) into a topology. */
final class Declarations {
  private Declarations() {}

  /** The class and the classes it is {@code @Nested} in, outermost first. */
  static List<Class<?>> classChain(Class<?> testClass) {
    List<Class<?>> chain = new ArrayList<>();
    for (Class<?> c = testClass; c != null; c = nestedIn(c)) {
      chain.add(0, c);
    }
    return chain;
  }

  private static Class<?> nestedIn(Class<?> c) {
    boolean inner = c.getEnclosingClass() != null && !Modifier.isStatic(c.getModifiers());
    return inner ? c.getEnclosingClass() : null;
  }

  /**
   * The chain's topology: its {@link TopologyFactory}'s, else one built from its annotations; null,
   * with the problems kept in {@code problems}, when it cannot be built.
   */
  static Topology topology(List<Class<?>> chain, DeclarationProblems problems) {
    Optional<Topology> made;
    try {
      made = fromFactory(chain);
    } catch (TopologyException e) {
      problems.addAll(e);
      return null;
    }
    return made.isPresent() ? made.get() : problems.build(forClasses(chain));
  }

  /**
   * The topology a {@link TopologyFactory} method makes, or empty when the chain has none. The
   * factory declares the whole network, so other declarations beside it are refused.
   */
  private static Optional<Topology> fromFactory(List<Class<?>> chain) {
    for (int i = chain.size() - 1; i >= 0; i--) {
      Class<?> c = chain.get(i);
      Optional<TopologyFactory> factory =
          AnnotationSupport.findAnnotation(c, TopologyFactory.class);
      if (factory.isEmpty()) {
        continue;
      }
      String where = "@TopologyFactory(\"" + factory.get().value() + "\") on " + c.getSimpleName();
      for (Class<?> any : chain) {
        if (!repeatable(any, NetNamespace.class).isEmpty()
            || !repeatable(any, VethLink.class).isEmpty()
            || !repeatable(any, Lan.class).isEmpty()
            || !repeatable(any, Router.class).isEmpty()
            || !repeatable(any, Route.class).isEmpty()) {
          throw new org.junit.jupiter.api.extension.ExtensionConfigurationException(
              where
                  + ": the factory declares the whole network; move the annotations on "
                  + any.getSimpleName()
                  + " into it");
        }
      }
      Method method =
          ReflectionSupport.findMethod(c, factory.get().value())
              .filter(m -> Modifier.isStatic(m.getModifiers()))
              .filter(m -> Topology.class.isAssignableFrom(m.getReturnType()))
              .orElseThrow(
                  () ->
                      new org.junit.jupiter.api.extension.ExtensionConfigurationException(
                          where
                              + ": "
                              + c.getName()
                              + " has no static, parameterless method '"
                              + factory.get().value()
                              + "' returning dev.netns.topology.Topology"));
      return Optional.of((Topology) ReflectionSupport.invokeMethod(method, null));
    }
    return Optional.empty();
  }

  /** A builder holding every class-level declaration of the chain. */
  static Topology.Builder forClasses(List<Class<?>> chain) {
    Topology.Builder builder = Topology.builder();
    for (Class<?> c : chain) {
      for (NetNamespace ns : repeatable(c, NetNamespace.class)) {
        builder.host(ns.value(), "@NetNamespace(\"" + ns.value() + "\") on " + c.getSimpleName());
      }
      for (Router router : repeatable(c, Router.class)) {
        builder.router(
            router.value(), "@Router(\"" + router.value() + "\") on " + c.getSimpleName());
      }
      for (Field field : declaringFields(c)) {
        NetNamespace ns = AnnotationSupport.findAnnotation(field, NetNamespace.class).orElseThrow();
        String name = ns.value().isEmpty() ? field.getName() : ns.value();
        builder.host(name, "@NetNamespace on field " + c.getSimpleName() + "." + field.getName());
      }
      for (VethLink link : repeatable(c, VethLink.class)) {
        builder.veth(
            new VethDeclaration(
                link.a(),
                link.aName(),
                List.of(link.aAddress()),
                link.b(),
                link.bName(),
                List.of(link.bAddress()),
                link.mtu(),
                "@VethLink(a = \""
                    + link.a()
                    + "\", b = \""
                    + link.b()
                    + "\") on "
                    + c.getSimpleName(),
                link.impairable()));
      }
      for (Lan lan : repeatable(c, Lan.class)) {
        builder.lan(
            new LanDeclaration(
                lan.name(),
                List.of(lan.subnet()),
                List.of(lan.hosts()),
                List.of(lan.addresses()),
                "@Lan(name = \"" + lan.name() + "\") on " + c.getSimpleName()));
      }
      for (Route route : repeatable(c, Route.class)) {
        builder.route(
            new RouteDeclaration(
                route.in(),
                route.to(),
                route.via(),
                "@Route(in = \""
                    + route.in()
                    + "\", to = \""
                    + route.to()
                    + "\") on "
                    + c.getSimpleName()));
      }
    }
    return builder;
  }

  /**
   * Repeatable annotations on a class, duplicates kept (JUnit's search folds equal annotations into
   * one, which would hide a namespace declared twice), then those found through meta-annotations.
   */
  private static <A extends Annotation> List<A> repeatable(Class<?> c, Class<A> type) {
    List<A> found = new ArrayList<>(List.of(c.getAnnotationsByType(type)));
    for (A a : AnnotationSupport.findRepeatableAnnotations(c, type)) {
      if (!found.contains(a)) {
        found.add(a);
      }
    }
    return found;
  }

  /**
   * The names the chain's annotations declare, read without building the topology: what names are
   * checked against when the topology has problems of its own, so that both are reported at once.
   */
  static DeclaredNames declaredNames(List<Class<?>> chain) {
    Set<String> names = new LinkedHashSet<>();
    boolean touchesHost = false;
    for (Class<?> c : chain) {
      repeatable(c, NetNamespace.class).forEach(ns -> names.add(ns.value()));
      repeatable(c, Router.class).forEach(router -> names.add(router.value()));
      for (Field field : declaringFields(c)) {
        names.add(fieldNamespace(field).orElseThrow());
      }
      for (VethLink link : repeatable(c, VethLink.class)) {
        touchesHost |= Topology.HOST.equals(link.a()) || Topology.HOST.equals(link.b());
      }
      for (Lan lan : repeatable(c, Lan.class)) {
        touchesHost |= List.of(lan.hosts()).contains(Topology.HOST);
      }
    }
    return new DeclaredNames(names, touchesHost);
  }

  /** The namespaces that any method of the class declares on its parameters. */
  static List<String> parameterNamespaces(Class<?> testClass) {
    List<String> names = new ArrayList<>();
    for (Method method :
        ReflectionSupport.findMethods(testClass, m -> true, HierarchyTraversalMode.TOP_DOWN)) {
      for (Parameter parameter : method.getParameters()) {
        AnnotationSupport.findAnnotation(parameter, NetNamespace.class)
            .ifPresent(ns -> names.add(parameterNamespaceName(parameter, ns)));
      }
    }
    return names;
  }

  /** True when a parameter of {@code method} declares a namespace. */
  static boolean declaresParameters(Method method) {
    for (Parameter parameter : method.getParameters()) {
      if (AnnotationSupport.isAnnotated(parameter, NetNamespace.class)) {
        return true;
      }
    }
    return false;
  }

  /** Adds the namespaces a test method declares on its parameters. */
  static boolean addParameters(Topology.Builder builder, Method method) {
    boolean any = false;
    Parameter[] parameters = method.getParameters();
    for (int i = 0; i < parameters.length; i++) {
      NetNamespace ns =
          AnnotationSupport.findAnnotation(parameters[i], NetNamespace.class).orElse(null);
      if (ns != null) {
        builder.host(
            parameterNamespaceName(parameters[i], ns),
            "@NetNamespace on parameter " + i + " of " + method.getName() + "()");
        any = true;
      }
    }
    return any;
  }

  static String parameterNamespaceName(Parameter parameter, NetNamespace ns) {
    if (!ns.value().isEmpty()) {
      return ns.value();
    }
    return parameter.isNamePresent() ? parameter.getName() : "";
  }

  /** Fields that declare a namespace with {@code @NetNamespace} (static and instance). */
  static List<Field> declaringFields(Class<?> c) {
    return AnnotationSupport.findAnnotatedFields(c, NetNamespace.class);
  }

  /** Fields the extension injects: {@code @Ns}/{@code @NetNamespace} fields and Network fields. */
  static List<Field> injectedFields(Class<?> c, boolean statics) {
    return ReflectionSupport.findFields(
        c,
        f ->
            Modifier.isStatic(f.getModifiers()) == statics
                && (AnnotationSupport.isAnnotated(f, Ns.class)
                    || AnnotationSupport.isAnnotated(f, NetNamespace.class)
                    || f.getType() == Network.class),
        HierarchyTraversalMode.TOP_DOWN);
  }

  /** The namespace a NetNs field receives, or empty for a Network field. */
  static Optional<String> fieldNamespace(Field field) {
    Optional<Ns> ns = AnnotationSupport.findAnnotation(field, Ns.class);
    if (ns.isPresent()) {
      return Optional.of(ns.get().value());
    }
    Optional<NetNamespace> declared = AnnotationSupport.findAnnotation(field, NetNamespace.class);
    if (declared.isPresent()) {
      String value = declared.get().value();
      return Optional.of(value.isEmpty() ? field.getName() : value);
    }
    return Optional.empty();
  }

  /** True when the class itself (not its enclosing classes) declares namespaces, links or LANs. */
  static boolean declaresAnything(Class<?> c) {
    return !repeatable(c, NetNamespace.class).isEmpty()
        || !repeatable(c, VethLink.class).isEmpty()
        || !repeatable(c, Lan.class).isEmpty()
        || !repeatable(c, Router.class).isEmpty()
        || !repeatable(c, Route.class).isEmpty()
        || !declaringFields(c).isEmpty();
  }

  /** True when the class asks for one network for all its methods. */
  static boolean isShared(Class<?> c) {
    return AnnotationSupport.isAnnotated(c, SharedNetwork.class)
        || injectedFields(c, true).stream()
            .anyMatch(f -> f.getType() == NetNs.class || f.getType() == Network.class);
  }
}
