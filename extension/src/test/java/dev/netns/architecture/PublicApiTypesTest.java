package dev.netns.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API owns its types: every public or protected method, constructor and field of every
 * public type of {@code dev.netns.junit} takes and returns only types of the JDK, of the API itself
 * (with {@code dev.netns.topology}, API through {@code @TopologyFactory}) and of the libraries a
 * test already uses. A record of {@code dev.netns.kernel} in a signature would make the kernel
 * layer API by accident.
 */
class PublicApiTypesTest {
  private static final List<String> OWNED =
      List.of(
          "java.",
          "javax.",
          "dev.netns.junit.",
          "dev.netns.topology.",
          "org.junit.",
          "org.assertj.",
          "org.awaitility.");

  @Test
  void publicSignaturesUseOnlyTypesTheApiOwns() throws Exception {
    List<String> violations = new ArrayList<>();
    for (Class<?> type : apiTypes()) {
      check(type, violations);
    }
    assertThat(violations).as("kernel or other foreign types in the public API").isEmpty();
  }

  @Test
  void theCheckCatchesAForeignTypeInASignatureOrATypeArgument() {
    List<String> violations = new ArrayList<>();
    check(Leaky.class, violations);
    assertThat(violations)
        .containsExactlyInAnyOrder(
            "Leaky.cidr: dev.netns.kernel.Cidr",
            "Leaky.Leaky(): dev.netns.kernel.RtScope",
            "Leaky.links(): dev.netns.kernel.LinkInfo",
            "Leaky.scopes(): dev.netns.kernel.RtScope",
            "Leaky.states(): dev.netns.kernel.NudState");
  }

  /** A type that leaks kernel types in each place the check looks. */
  public static class Leaky {
    public dev.netns.kernel.Cidr cidr;

    public Leaky(dev.netns.kernel.RtScope scope) {}

    public List<? extends dev.netns.kernel.LinkInfo> links() {
      return List.of();
    }

    protected java.util.Map<String, dev.netns.kernel.RtScope[]> scopes() {
      return java.util.Map.of();
    }

    public <T extends List<dev.netns.kernel.NudState>> T states() {
      return null;
    }

    List<dev.netns.kernel.Cidr> packagePrivateIsNotApi() {
      return List.of();
    }
  }

  private static List<Class<?>> apiTypes() throws IOException, ClassNotFoundException {
    List<Class<?>> types = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("src/main/java/dev/netns/junit"))) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (!name.endsWith(".java") || name.equals("package-info.java")) {
          continue;
        }
        addPublic(
            Class.forName("dev.netns.junit." + name.substring(0, name.length() - ".java".length())),
            types);
      }
    }
    assertThat(types).as("public types found in dev.netns.junit").hasSizeGreaterThan(10);
    return types;
  }

  private static void addPublic(Class<?> type, List<Class<?>> types) {
    if (!Modifier.isPublic(type.getModifiers())) {
      return;
    }
    types.add(type);
    for (Class<?> nested : type.getDeclaredClasses()) {
      addPublic(nested, types);
    }
  }

  private static void check(Class<?> type, List<String> violations) {
    for (Field field : type.getDeclaredFields()) {
      if (api(field)) {
        check(type.getSimpleName() + "." + field.getName(), field.getGenericType(), violations);
      }
    }
    for (Constructor<?> constructor : type.getDeclaredConstructors()) {
      if (api(constructor)) {
        String where = type.getSimpleName() + "." + type.getSimpleName() + "()";
        for (Type parameter : constructor.getGenericParameterTypes()) {
          check(where, parameter, violations);
        }
      }
    }
    for (Method method : type.getDeclaredMethods()) {
      if (api(method) && !method.isBridge()) {
        String where = type.getSimpleName() + "." + method.getName() + "()";
        check(where, method.getGenericReturnType(), violations);
        for (Type parameter : method.getGenericParameterTypes()) {
          check(where, parameter, violations);
        }
      }
    }
  }

  private static boolean api(Member member) {
    int modifiers = member.getModifiers();
    return !member.isSynthetic()
        && (Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers));
  }

  private static void check(String where, Type type, List<String> violations) {
    Set<String> foreign = new HashSet<>();
    collectForeign(type, foreign, new HashSet<>());
    foreign.stream().sorted().forEach(name -> violations.add(where + ": " + name));
  }

  private static void collectForeign(Type type, Set<String> foreign, Set<Type> seen) {
    if (!seen.add(type)) {
      return; // a type variable bounded by itself, as in <T extends Comparable<T>>
    }
    if (type instanceof Class<?> c) {
      while (c.isArray()) {
        c = c.getComponentType();
      }
      if (!c.isPrimitive() && OWNED.stream().noneMatch(c.getName()::startsWith)) {
        foreign.add(c.getName());
      }
    } else if (type instanceof ParameterizedType p) {
      collectForeign(p.getRawType(), foreign, seen);
      for (Type argument : p.getActualTypeArguments()) {
        collectForeign(argument, foreign, seen);
      }
    } else if (type instanceof WildcardType w) {
      for (Type bound : w.getUpperBounds()) {
        collectForeign(bound, foreign, seen);
      }
      for (Type bound : w.getLowerBounds()) {
        collectForeign(bound, foreign, seen);
      }
    } else if (type instanceof GenericArrayType a) {
      collectForeign(a.getGenericComponentType(), foreign, seen);
    } else if (type instanceof TypeVariable<?> v) {
      for (Type bound : v.getBounds()) {
        collectForeign(bound, foreign, seen);
      }
    }
  }
}
