package dev.netns.junit.internal;

import dev.netns.junit.InNamespace;
import dev.netns.junit.NetNamespace;
import dev.netns.junit.NetNs;
import dev.netns.junit.Network;
import dev.netns.junit.Ns;
import dev.netns.topology.RunningTopology;
import dev.netns.topology.Topology;
import dev.netns.topology.TopologyException;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The Jupiter extension behind the annotations of {@code dev.netns.junit}: reads and validates the
 * declarations, builds each test's network, injects handles, runs {@code @InNamespace} code on
 * namespace threads, and tears everything down through JUnit's store.
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
  private static final String TOPOLOGY = "topology";

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Class<?> testClass = context.getRequiredTestClass();
    if (context.getStore(STORE).get(NETWORK, NetworkResource.class) != null
        && Declarations.declaresAnything(testClass)) {
      throw new ExtensionConfigurationException(
          "Invalid network declared on "
              + testClass.getName()
              + ":\n- it declares namespaces or links inside a class whose network is shared"
              + " (@SharedNetwork); declare them on the outer class");
    }
    Topology topology = classTopology(testClass);
    List<String> problems = new ArrayList<>();
    checkLifecycleMethods(testClass, topology, problems);
    checkFields(testClass, topology, true, problems);
    failIfAny(testClass, problems);
    context.getStore(STORE).put(TOPOLOGY, topology);
    if (Declarations.isShared(testClass)) {
      NetworkResource resource = start(topology, testClass.getSimpleName(), context);
      context.getStore(STORE).put(NETWORK, resource);
      injectFields(testClass, null, resource.network(), true);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    Class<?> testClass = context.getRequiredTestClass();
    Method method = context.getRequiredTestMethod();
    NetworkResource resource = context.getStore(STORE).get(NETWORK, NetworkResource.class);
    Topology topology;
    if (resource != null) {
      topology = resource.network().running().topology();
      Topology.Builder extra = Topology.builder();
      if (Declarations.addParameters(extra, method)) {
        throw new ExtensionConfigurationException(
            "Invalid network declared on "
                + testClass.getName()
                + ":\n- @NetNamespace on a parameter of "
                + method.getName()
                + "() cannot add to the network shared by the class; declare it on the class");
      }
    } else {
      Topology.Builder builder = Declarations.forClasses(Declarations.classChain(testClass));
      if (Declarations.addParameters(builder, method)) {
        if (Declarations.fromFactory(Declarations.classChain(testClass)).isPresent()) {
          throw new ExtensionConfigurationException(
              "Invalid network declared on "
                  + testClass.getName()
                  + ":\n- @NetNamespace on a parameter of "
                  + method.getName()
                  + "() cannot add to a @TopologyFactory network; declare it in the factory");
        }
        topology = build(testClass, builder);
      } else {
        topology = classTopology(testClass);
      }
    }
    List<String> problems = new ArrayList<>();
    inNamespace(method, testClass)
        .ifPresent(
            name ->
                checkNamespaceName(
                    topology,
                    name,
                    "@InNamespace(\"" + name + "\") on method " + method.getName() + "()",
                    problems));
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      checkFields(instance.getClass(), topology, false, problems);
    }
    failIfAny(testClass, problems);
    if (resource == null) {
      resource =
          start(topology, testClass.getSimpleName() + "." + method.getName() + "()", context);
      context.getStore(STORE).put(NETWORK, resource);
    }
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      injectFields(instance.getClass(), instance, resource.network(), false);
    }
  }

  private static Topology classTopology(Class<?> testClass) {
    List<Class<?>> chain = Declarations.classChain(testClass);
    Optional<Topology> fromFactory;
    try {
      fromFactory = Declarations.fromFactory(chain);
    } catch (TopologyException e) {
      throw new ExtensionConfigurationException(
          "Invalid network declared on "
              + testClass.getName()
              + ":\n- "
              + String.join("\n- ", e.problems()),
          e);
    }
    return fromFactory.orElseGet(() -> build(testClass, Declarations.forClasses(chain)));
  }

  private static Topology build(Class<?> testClass, Topology.Builder builder) {
    try {
      return builder.build();
    } catch (TopologyException e) {
      throw new ExtensionConfigurationException(
          "Invalid network declared on "
              + testClass.getName()
              + ":\n- "
              + String.join("\n- ", e.problems()),
          e);
    }
  }

  private static void failIfAny(Class<?> testClass, List<String> problems) {
    if (!problems.isEmpty()) {
      throw new ExtensionConfigurationException(
          "Invalid network declared on "
              + testClass.getName()
              + ":\n- "
              + String.join("\n- ", problems));
    }
  }

  /** The seed for impairments that ask for none: netns.seed, or one chosen for this network. */
  private static long seed(ExtensionContext context) {
    Optional<String> configured =
        context.getConfigurationParameter(NetNamespace.SEED_PROPERTY_NAME);
    if (configured.isEmpty()) {
      return new java.util.SplittableRandom().nextLong();
    }
    try {
      return Long.parseLong(configured.get().trim());
    } catch (NumberFormatException e) {
      throw new ExtensionConfigurationException(
          "configuration parameter "
              + NetNamespace.SEED_PROPERTY_NAME
              + " must be a whole number (a seed printed with a failed test), but was '"
              + configured.get()
              + "'",
          e);
    }
  }

  private static NetworkResource start(Topology topology, String owner, ExtensionContext context)
      throws IOException {
    Requirements.check(context);
    NamespaceBindings.reapDeadBindings();
    ThreadLeakPolicy policy =
        context
            .getConfigurationParameter(NetNamespace.THREAD_LEAKS_PROPERTY_NAME)
            .map(v -> ThreadLeakPolicy.parse(v, NetNamespace.THREAD_LEAKS_PROPERTY_NAME))
            .orElse(ThreadLeakPolicy.FAIL);
    boolean bind =
        context
            .getConfigurationParameter(NetNamespace.BIND_PROPERTY_NAME)
            .map(v -> Boolean.parseBoolean(v.trim()))
            .orElse(false);
    Optional<String> bindRefused = bind ? NamespaceBindings.refusedHere() : Optional.empty();
    if (bindRefused.isPresent()) {
      throw new ExtensionConfigurationException(bindRefused.get());
    }
    Diagnostics.Settings diagnostics = Diagnostics.settings(context);
    long seed = seed(context);
    RunningTopology running;
    try {
      running = topology.start();
    } catch (TopologyException e) {
      throw new ExtensionConfigurationException(
          "Invalid network declared on "
              + context.getRequiredTestClass().getName()
              + ":\n- "
              + String.join("\n- ", e.problems()),
          e);
    }
    try {
      NamespaceBindings bindings =
          bind ? NamespaceBindings.bind(running.namespaces()) : NamespaceBindings.none();
      DefaultNetwork network = new DefaultNetwork(running, Requirements.required(context), seed);
      return new NetworkResource(network, owner, policy, bindings, diagnostics.start(network));
    } catch (IOException | RuntimeException e) {
      try {
        running.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  // ---- validation of names used by @InNamespace and injected fields

  private static void checkLifecycleMethods(
      Class<?> testClass, Topology topology, List<String> problems) {
    for (Class<?> c : Declarations.classChain(testClass)) {
      AnnotationSupport.findAnnotation(c, InNamespace.class)
          .ifPresent(
              in ->
                  checkNamespaceName(
                      topology, in.value(), "@InNamespace on " + c.getSimpleName(), problems));
    }
    for (Method m :
        ReflectionSupport.findMethods(
            testClass,
            m ->
                AnnotationSupport.isAnnotated(m, InNamespace.class)
                    && (AnnotationSupport.isAnnotated(m, BeforeEach.class)
                        || AnnotationSupport.isAnnotated(m, AfterEach.class)),
            org.junit.platform.commons.support.HierarchyTraversalMode.TOP_DOWN)) {
      checkNamespaceName(
          topology,
          AnnotationSupport.findAnnotation(m, InNamespace.class).orElseThrow().value(),
          describe(m),
          problems);
    }
  }

  private static void checkFields(
      Class<?> c, Topology topology, boolean statics, List<String> problems) {
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
        checkNamespaceName(
            topology, name.get(), "@Ns(\"" + name.get() + "\") on " + where, problems);
      }
      if (Modifier.isFinal(field.getModifiers())) {
        problems.add(where + " is final; injected fields must not be final");
      }
    }
  }

  private static void checkNamespaceName(
      Topology topology, String name, String origin, List<String> problems) {
    boolean declared =
        topology.hosts().contains(name) || (Topology.HOST.equals(name) && topology.touchesHost());
    if (!declared) {
      problems.add(
          origin
              + ": \""
              + name
              + "\" names no declared namespace (declared: "
              + (topology.hosts().isEmpty() ? "none" : String.join(", ", topology.hosts()))
              + ")");
    }
  }

  private static String describe(Method method) {
    return "@InNamespace(\""
        + AnnotationSupport.findAnnotation(method, InNamespace.class).orElseThrow().value()
        + "\") on method "
        + method.getName()
        + "()";
  }

  // ---- injection

  private static void injectFields(
      Class<?> c, Object instance, DefaultNetwork network, boolean statics) {
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

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext context) {
    Parameter parameter = parameterContext.getParameter();
    return parameter.getType() == NetNs.class
        || parameter.getType() == Network.class
        || parameterContext.isAnnotated(Ns.class)
        || parameterContext.isAnnotated(NetNamespace.class);
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
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
    NetworkResource resource = context.getStore(STORE).get(NETWORK, NetworkResource.class);
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

  // ---- failures: the seeds of userspace impairments (to replay the run) and a report of the
  // network as the failure left it (see Diagnostics), for the test and its lifecycle methods

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    throw annotated(context, throwable);
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable t)
      throws Throwable {
    throw annotated(context, t);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable t)
      throws Throwable {
    throw annotated(context, t);
  }

  @Override
  public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable t)
      throws Throwable {
    throw annotated(context, t);
  }

  @Override
  public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable t)
      throws Throwable {
    throw annotated(context, t);
  }

  private static Throwable annotated(ExtensionContext context, Throwable throwable) {
    NetworkResource resource = context.getStore(STORE).get(NETWORK, NetworkResource.class);
    if (resource == null) {
      return throwable;
    }
    if (!resource.network().seedsUsed().isEmpty()) {
      throwable.addSuppressed(
          new ImpairmentSeeds(
              "netns: this test ran userspace impairments: "
                  + String.join("; ", resource.network().seedsUsed())
                  + ". Replay with Impairment.seed(...) or the configuration parameter "
                  + NetNamespace.SEED_PROPERTY_NAME
                  + "=<seed>."));
    }
    resource.diagnostics().failed(context, throwable);
    return throwable;
  }

  /** Carries the seeds of a failed test's impairments in its report. */
  static final class ImpairmentSeeds extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ImpairmentSeeds(String message) {
      super(message, null, false, false);
    }
  }

  // ---- @InNamespace: running bodies on namespace threads

  @Override
  public void interceptTestMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    proceedIn(
        inNamespace(invocationContext.getExecutable(), context.getRequiredTestClass()),
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
  public void interceptBeforeEachMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    proceedIn(
        AnnotationSupport.findAnnotation(invocationContext.getExecutable(), InNamespace.class)
            .map(InNamespace::value),
        invocation,
        context);
  }

  @Override
  public void interceptAfterEachMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    interceptBeforeEachMethod(invocation, invocationContext, context);
  }

  /** The namespace a test method runs in: its own {@code @InNamespace}, else its class's. */
  private static Optional<String> inNamespace(Method method, Class<?> testClass) {
    Optional<InNamespace> own = AnnotationSupport.findAnnotation(method, InNamespace.class);
    if (own.isPresent()) {
      return Optional.of(own.get().value());
    }
    List<Class<?>> chain = Declarations.classChain(testClass);
    for (int i = chain.size() - 1; i >= 0; i--) {
      Optional<InNamespace> onClass =
          AnnotationSupport.findAnnotation(chain.get(i), InNamespace.class);
      if (onClass.isPresent()) {
        return Optional.of(onClass.get().value());
      }
    }
    return Optional.empty();
  }

  private static void proceedIn(
      Optional<String> namespace, Invocation<Void> invocation, ExtensionContext context)
      throws Throwable {
    if (namespace.isEmpty()) {
      invocation.proceed();
      return;
    }
    NetworkResource resource = context.getStore(STORE).get(NETWORK, NetworkResource.class);
    DefaultNetNs ns = (DefaultNetNs) resource.network().namespace(namespace.get());
    Throwable[] thrown = new Throwable[1];
    // A thread of its own, not the namespace's service thread: a body that waits for another
    // thread's call into the namespace must not hold the thread that call needs.
    ns.namespace()
        .callOnNewThread(
            () -> {
              try {
                invocation.proceed();
              } catch (Throwable t) {
                thrown[0] = t;
              }
              return null;
            });
    if (thrown[0] != null) {
      throw thrown[0];
    }
  }
}
