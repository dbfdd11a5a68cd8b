package dev.netns.junit.internal;

import dev.netns.junit.InNamespace;
import dev.netns.junit.TopologyFactory;
import dev.netns.topology.Topology;
import java.lang.reflect.Method;
import java.util.List;
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
 * The Jupiter extension behind the annotations of {@code dev.netns.junit}: reads and checks the
 * declarations ({@link Declarations}, {@link NameUses}), builds each test's network ({@link
 * Networks}) into JUnit's store, which tears it down, injects handles ({@link Injection}), runs
 * {@code @InNamespace} code on namespace threads ({@link NamespaceInvocation}) and annotates
 * failures ({@link FailureNotes}).
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
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(NetNsExtension.class);
  private static final String NETWORK = "network";
  // The class's topology, made once per class (a @TopologyFactory method runs once) and built
  // into a network for each test, or once for a shared network.
  private static final String TOPOLOGY = "topology";

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Class<?> testClass = context.getRequiredTestClass();
    Settings settings = Settings.of(context);
    ExtensionContext.Store store = context.getStore(STORE);
    boolean insideShared = store.get(NETWORK, NetworkResource.class) != null;
    if (insideShared && Declarations.declaresAnything(testClass)) {
      throw DeclarationProblems.single(
          testClass,
          "it declares namespaces or links inside a class whose network is shared"
              + " (@SharedNetwork); declare them on the outer class");
    }
    DeclarationProblems problems = new DeclarationProblems(testClass);
    List<Class<?>> chain = Declarations.classChain(testClass);
    Topology inherited = store.get(TOPOLOGY, Topology.class);
    Topology topology =
        inherited != null && !declaresOwnNetwork(testClass)
            ? inherited
            : Declarations.topology(chain, problems);
    if (topology != null || !hasFactory(chain)) {
      DeclaredNames names =
          topology != null ? DeclaredNames.of(topology) : Declarations.declaredNames(chain);
      NameUses.checkClass(
          testClass,
          names.with(Declarations.parameterNamespaces(testClass)),
          insideShared || Declarations.isShared(testClass),
          problems);
    }
    checkBindable(settings, topology, problems);
    problems.throwIfAny();
    store.put(TOPOLOGY, topology);
    if (Declarations.isShared(testClass)) {
      NetworkResource resource =
          Networks.start(topology, testClass.getSimpleName(), context, settings);
      store.put(NETWORK, resource);
      Injection.injectFields(testClass, null, resource.network(), true);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    Class<?> testClass = context.getRequiredTestClass();
    Method method = context.getRequiredTestMethod();
    Settings settings = Settings.of(context);
    ExtensionContext.Store store = context.getStore(STORE);
    NetworkResource resource = store.get(NETWORK, NetworkResource.class);
    List<Class<?>> chain = Declarations.classChain(testClass);
    DeclarationProblems problems = new DeclarationProblems(testClass);
    Topology topology;
    String parameterRefused =
        resource != null
            ? "cannot add to the network shared by the class; declare it on the class"
            : hasFactory(chain)
                ? "cannot add to a @TopologyFactory network; declare it in the factory"
                : null;
    Topology.Builder builder =
        resource != null || hasFactory(chain) ? Topology.builder() : Declarations.forClasses(chain);
    boolean parameters = Declarations.addParameters(builder, method);
    if (parameters && parameterRefused != null) {
      throw DeclarationProblems.single(
          testClass,
          "@NetNamespace on a parameter of " + method.getName() + "() " + parameterRefused);
    }
    if (resource != null) {
      topology = resource.network().running().topology();
    } else {
      topology = parameters ? problems.build(builder) : store.get(TOPOLOGY, Topology.class);
    }
    DeclaredNames names =
        topology != null
            ? DeclaredNames.of(topology)
            : Declarations.declaredNames(chain).with(Declarations.parameterNamespaces(testClass));
    List<Object> instances = context.getRequiredTestInstances().getAllInstances();
    NameUses.checkTest(method, testClass, instances, names, problems);
    checkBindable(settings, topology, problems);
    problems.throwIfAny();
    if (resource == null) {
      String owner = testClass.getSimpleName() + "." + method.getName() + "()";
      resource = Networks.start(topology, owner, context, settings);
      store.put(NETWORK, resource);
    }
    for (Object instance : instances) {
      Injection.injectFields(instance.getClass(), instance, resource.network(), false);
    }
  }

  /** True when the class itself, not only its enclosing classes, declares a network. */
  private static boolean declaresOwnNetwork(Class<?> testClass) {
    return Declarations.declaresAnything(testClass)
        || AnnotationSupport.isAnnotated(testClass, TopologyFactory.class);
  }

  private static boolean hasFactory(List<Class<?>> chain) {
    return chain.stream().anyMatch(c -> AnnotationSupport.isAnnotated(c, TopologyFactory.class));
  }

  private static void checkBindable(
      Settings settings, Topology topology, DeclarationProblems problems) {
    if (settings.bind() && topology != null) {
      topology.hosts().forEach(h -> NamespaceBindings.nameProblem(h).ifPresent(problems::add));
    }
  }

  private static NetworkResource resource(ExtensionContext context) {
    return context.getStore(STORE).get(NETWORK, NetworkResource.class);
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
