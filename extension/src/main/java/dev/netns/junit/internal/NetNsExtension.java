package dev.netns.junit.internal;

import dev.netns.junit.InNamespace;
import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The Jupiter extension behind the annotations of {@code dev.netns.junit}, a facade over its parts:
 * {@link NetworkScopes} reads and checks the declarations ({@link Declarations}, {@link NameUses})
 * and builds each test's or class's network ({@link Networks}) into JUnit's store, which tears it
 * down; {@link Injection} hands out handles; {@link NamespaceInvocation} runs {@code @InNamespace}
 * code on namespace threads; {@link FailureNotes} annotates failures.
 *
 * <p>Internal: registered by the annotations, not by users.
 *
 * <pre>{@code
 * @NetNamespace("blue")   // registers this extension
 * class MyTest { ... }
 * }</pre>
 */
public final class NetNsExtension
    implements BeforeAllCallback,
        BeforeEachCallback,
        ParameterResolver,
        InvocationInterceptor,
        TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {
  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    NetworkScopes.beforeAll(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    NetworkScopes.beforeEach(context);
  }

  private static NetworkResource resource(ExtensionContext context) {
    return NetworkScopes.resource(context);
  }

  // ---- injection

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext context) {
    return Injection.supports(parameterContext);
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
    return Injection.resolve(parameterContext, resource(context));
  }

  // ---- failures of the test and its lifecycle methods carry notes about the network

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable t) throws Throwable {
    throw FailureNotes.annotate(context, resource(context), t);
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable t)
      throws Throwable {
    throw FailureNotes.annotate(context, resource(context), t);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable t)
      throws Throwable {
    throw FailureNotes.annotate(context, resource(context), t);
  }

  @Override
  public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable t)
      throws Throwable {
    throw FailureNotes.annotate(context, resource(context), t);
  }

  @Override
  public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable t)
      throws Throwable {
    throw FailureNotes.annotate(context, resource(context), t);
  }

  // ---- @InNamespace: a test method's own, else its class's; a lifecycle method's own

  @Override
  public void interceptTestMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    proceed(
        Annotations.find(
            Optional.of(invocationContext.getExecutable()),
            context.getRequiredTestClass(),
            InNamespace.class),
        invocation,
        context);
  }

  @Override
  public void interceptTestTemplateMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    interceptTestMethod(invocation, invocationContext, context);
  }

  @Override
  public void interceptBeforeAllMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    proceed(own(invocationContext), invocation, context);
  }

  @Override
  public void interceptBeforeEachMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    proceed(own(invocationContext), invocation, context);
  }

  @Override
  public void interceptAfterEachMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    proceed(own(invocationContext), invocation, context);
  }

  @Override
  public void interceptAfterAllMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    proceed(own(invocationContext), invocation, context);
  }

  private static Optional<InNamespace> own(ReflectiveInvocationContext<Method> invocation) {
    return AnnotationSupport.findAnnotation(invocation.getExecutable(), InNamespace.class);
  }

  private static void proceed(
      Optional<InNamespace> in, Invocation<Void> invocation, ExtensionContext context)
      throws Throwable {
    if (in.isEmpty()) {
      invocation.proceed();
    } else {
      NamespaceInvocation.proceedIn(resource(context), in.get().value(), invocation);
    }
  }
}
