package dev.netns.junit.internal;

import dev.netns.junit.InNamespace;
import dev.netns.junit.NetNs;
import dev.netns.junit.Ns;
import dev.netns.junit.SharedNetwork;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Checks the places that use a namespace by name ({@code @InNamespace} on classes and methods,
 * {@code @Ns} and {@code @NetNamespace} fields) against the declared names, before anything is
 * built. Problems go to a {@link DeclarationProblems}, beside those of the topology.
 */
final class NameUses {
  private NameUses() {}

  /**
   * Checks what a class declares: {@code @InNamespace} on it, its enclosing classes and any of its
   * methods, and its fields. {@code names} are those of the class's network and of its methods'
   * parameters; {@code shared} says whether a network exists around {@code @BeforeAll} and {@code
   * AfterAll} methods.
   */
  static void checkClass(
      Class<?> testClass, DeclaredNames names, boolean shared, DeclarationProblems problems) {
    for (Class<?> c : Declarations.classChain(testClass)) {
      AnnotationSupport.findAnnotation(c, InNamespace.class)
          .ifPresent(
              in -> names.check(in.value(), "@InNamespace on " + c.getSimpleName(), problems));
    }
    for (Method m :
        ReflectionSupport.findMethods(
            testClass,
            m -> AnnotationSupport.isAnnotated(m, InNamespace.class),
            HierarchyTraversalMode.TOP_DOWN)) {
      String name = AnnotationSupport.findAnnotation(m, InNamespace.class).orElseThrow().value();
      Optional<String> classWide = classWideKind(m);
      if (classWide.isPresent() && !shared) {
        problems.add(
            describe(m, name)
                + " runs before or after all tests, when only a network shared by the class"
                + " exists; add @"
                + SharedNetwork.class.getSimpleName()
                + " to "
                + testClass.getSimpleName()
                + ", or move the code to a @BeforeEach or @AfterEach method");
      } else {
        names.check(name, describe(m, name), problems);
      }
    }
    checkFields(testClass, names, true, problems);
    checkFields(testClass, names, false, problems);
  }

  /**
   * Checks what one test uses: the namespace its body runs in and the fields of its instances
   * (outermost first), against the names of the test's own network.
   */
  static void checkTest(
      Method method,
      Class<?> testClass,
      List<Object> instances,
      DeclaredNames names,
      DeclarationProblems problems) {
    Annotations.find(Optional.of(method), testClass, InNamespace.class)
        .ifPresent(
            in ->
                names.check(
                    in.value(),
                    "@InNamespace(\"" + in.value() + "\") on method " + method.getName() + "()",
                    problems));
    for (Object instance : instances) {
      checkFields(instance.getClass(), names, false, problems);
    }
  }

  private static Optional<String> classWideKind(Method m) {
    if (AnnotationSupport.isAnnotated(m, BeforeAll.class)) {
      return Optional.of("@BeforeAll");
    }
    if (AnnotationSupport.isAnnotated(m, AfterAll.class)) {
      return Optional.of("@AfterAll");
    }
    return Optional.empty();
  }

  private static String describe(Method m, String name) {
    return "@InNamespace(\""
        + name
        + "\") on "
        + classWideKind(m).map(kind -> kind + " ").orElse("")
        + "method "
        + m.getName()
        + "()";
  }

  private static void checkFields(
      Class<?> c, DeclaredNames names, boolean statics, DeclarationProblems problems) {
    for (Field field : Declarations.injectedFields(c, statics)) {
      String where = "field " + c.getSimpleName() + "." + field.getName();
      Optional<String> name = Declarations.fieldNamespace(field);
      if (name.isPresent() && field.getType() != NetNs.class) {
        problems.add(
            "@"
                + (AnnotationSupport.isAnnotated(field, Ns.class) ? "Ns" : "NetNamespace")
                + " on "
                + where
                + " needs type NetNs, but it is "
                + field.getType().getName());
      } else if (name.isPresent() && AnnotationSupport.isAnnotated(field, Ns.class)) {
        names.check(name.get(), "@Ns(\"" + name.get() + "\") on " + where, problems);
      }
      if (Modifier.isFinal(field.getModifiers())) {
        problems.add(where + " is final; injected fields must not be final");
      }
    }
  }
}
