package dev.netns.junit.internal;

import dev.netns.junit.TopologyFactory;
import dev.netns.topology.Topology;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Where networks live in JUnit's store, and when they are made: a class's topology is read once (so
 * a {@code @TopologyFactory} method runs once per class), then built into a network for each test,
 * or once for the class when it shares one. JUnit closes the store's values, and with them the
 * networks, at the end of their scope.
 */
final class NetworkScopes {
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(NetNsExtension.class);
  private static final String NETWORK = "network";
  private static final String TOPOLOGY = "topology";

  private NetworkScopes() {}

  /**
   * Before a class: reads and checks its declarations (every problem at once), keeps its topology
   * for its tests, and builds the network when the class shares one.
   */
  static void beforeAll(ExtensionContext context) throws IOException {
    Class<?> testClass = context.getRequiredTestClass();
    Settings settings = Settings.of(context);
    PoolResource.startIfAsked(context, settings);
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

  /**
   * Before a test: checks what it uses, builds its network unless its class shares one, and injects
   * the instance fields.
   */
  static void beforeEach(ExtensionContext context) throws IOException {
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
    boolean parameters = Declarations.declaresParameters(method);
    if (parameters && parameterRefused != null) {
      throw DeclarationProblems.single(
          testClass,
          "@NetNamespace on a parameter of " + method.getName() + "() " + parameterRefused);
    }
    if (resource != null) {
      topology = resource.network().running().topology();
    } else if (parameters) {
      // The class's declarations read again, with the method's own: only for such a method, not
      // for every test (the class's topology was read once, before all).
      Topology.Builder builder = Declarations.forClasses(chain);
      Declarations.addParameters(builder, method);
      topology = problems.build(builder);
    } else {
      topology = store.get(TOPOLOGY, Topology.class);
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

  /** The network of the test or class of {@code context}, or null where none exists. */
  static NetworkResource resource(ExtensionContext context) {
    return context.getStore(STORE).get(NETWORK, NetworkResource.class);
  }
}
