package io.crossgen.pipeline;

import com.google.common.graph.GraphBuilder;
import com.google.common.graph.Graphs;
import com.google.common.graph.ImmutableGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What each step of a pipeline needs done before it starts, as a graph (an edge runs from the needed step to the
 * step that needs it), checked for cycles when the pipeline is built.
 *
 * <p>A step that declares its needs ({@link Step#needs()}) waits for those steps only; a need that names a step
 * absent from the pipeline (removed, or left out of a preset) is ignored. A step that declares nothing keeps its
 * place in the order: it waits for every step before it, and every step after it waits for it, so a pipeline of
 * such steps runs strictly in order, as before steps could declare needs.
 */
final class StepGraph {
    private final List<String> names;
    private final ImmutableGraph<String> graph;
    private final Map<String, Integer> levels = new HashMap<>();
    private final List<String> order;

    /** @throws PipelineException naming the steps of a cycle of needs */
    StepGraph(String pipeline, List<Step> steps) {
        this.names = steps.stream().map(Step::name).toList();
        ImmutableGraph.Builder<String> b = GraphBuilder.directed().allowsSelfLoops(true).<String>immutable();
        names.forEach(b::addNode);
        for (int i = 0; i < steps.size(); i++) {
            String name = names.get(i);
            Optional<Set<String>> declared = steps.get(i).needs();
            if (declared.isEmpty()) {
                names.subList(0, i).forEach(before -> b.putEdge(before, name));
                names.subList(i + 1, names.size()).forEach(after -> b.putEdge(name, after));
                continue;
            }
            declared.get().stream().filter(names::contains).forEach(need -> b.putEdge(need, name));
        }
        this.graph = b.build();
        if (Graphs.hasCycle(graph)) {
            throw new PipelineException("pipeline '" + pipeline + "' cannot run: its steps need each other in a"
                    + " cycle: " + String.join(" needs ", cycle()));
        }
        this.order = runOrder();
        for (String n : order) {
            levels.put(n, graph.predecessors(n).stream().mapToInt(p -> levels.get(p) + 1).max().orElse(0));
        }
    }

    /** The steps that must be done before {@code step} starts, in pipeline order. */
    Set<String> allNeeds(String step) {
        return graph.predecessors(step);
    }

    /**
     * The steps {@code step} needs that no other step it needs needs in turn (the nearest), in pipeline order:
     * what a plan shows.
     */
    List<String> needs(String step) {
        Set<String> needed = graph.predecessors(step);
        return names.stream().filter(needed::contains)
                .filter(n -> needed.stream().noneMatch(m -> !m.equals(n) && Graphs.reachableNodes(graph, n).contains(m)))
                .toList();
    }

    /** The steps in an order that puts each after what it needs, otherwise in pipeline order: a plan's order. */
    List<String> order() {
        return order;
    }

    /**
     * The steps in groups that may run at the same time: group k holds the steps whose longest chain of needs
     * is k steps long, so no step of a group needs another of it. In pipeline order within a group.
     */
    List<List<String>> together() {
        int top = levels.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        List<List<String>> out = new ArrayList<>();
        for (int k = 0; k <= top; k++) {
            int level = k;
            out.add(names.stream().filter(n -> levels.get(n) == level).toList());
        }
        return out;
    }

    /** Kahn's order, always taking the first ready step in pipeline order. */
    private List<String> runOrder() {
        List<String> out = new ArrayList<>();
        Set<String> left = new LinkedHashSet<>(names);
        while (!left.isEmpty()) {
            String next = left.stream().filter(n -> !graph.predecessors(n).stream().anyMatch(left::contains))
                    .findFirst().orElseThrow();
            left.remove(next);
            out.add(next);
        }
        return out;
    }

    /** One cycle of needs, each step needing the next, its first step repeated at the end. */
    private List<String> cycle() {
        // every step left after taking away those whose needs are met lies on, or after, a cycle
        Set<String> left = new LinkedHashSet<>(names);
        boolean removed = true;
        while (removed) {
            removed = left.removeIf(n -> graph.predecessors(n).stream().noneMatch(left::contains));
        }
        List<String> path = new ArrayList<>();
        String at = left.iterator().next();
        while (!path.contains(at)) {
            path.add(at);
            at = names.stream().filter(graph.predecessors(path.get(path.size() - 1))::contains)
                    .filter(left::contains).findFirst().orElseThrow();
        }
        List<String> loop = new ArrayList<>(path.subList(path.indexOf(at), path.size()));
        loop.add(at);
        return loop;
    }

    @Override
    public String toString() {
        return names.stream().map(n -> n + needs(n)).collect(Collectors.joining(", "));
    }
}
