package dev.netns.junit.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import org.junit.platform.commons.support.AnnotationSupport;

/** The one lookup of a per-test setting annotation: the method, its class, then enclosing ones. */
final class Annotations {
  private Annotations() {}

  /**
   * {@code type} on {@code method} when present, else on the test class or the classes it is
   * {@code @Nested} in, innermost first.
   */
  static <A extends Annotation> Optional<A> find(
      Optional<Method> method, Class<?> testClass, Class<A> type) {
    if (method.isPresent()) {
      Optional<A> own = AnnotationSupport.findAnnotation(method.get(), type);
      if (own.isPresent()) {
        return own;
      }
    }
    List<Class<?>> chain = Declarations.classChain(testClass);
    for (int i = chain.size() - 1; i >= 0; i--) {
      Optional<A> onClass = AnnotationSupport.findAnnotation(chain.get(i), type);
      if (onClass.isPresent()) {
        return onClass;
      }
    }
    return Optional.empty();
  }
}
