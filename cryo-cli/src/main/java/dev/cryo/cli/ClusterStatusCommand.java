package dev.cryo.cli;

import dev.cryo.node.ClusterClient;
import dev.cryo.node.ClusterJson;
import dev.cryo.node.ClusterView;
import dev.cryo.node.placement.NodeFacts;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cryo cluster status [NODE]}: the nodes and the programs of the cluster. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show the cluster: its live nodes (lease, programs, free memory) and its programs (owner,",
      "status, address, age of the newest published checkpoint). With NODE, that node's facts."
    })
final class ClusterStatusCommand implements Callable<Integer> {
  @ParentCommand ClusterCommand parent;

  @Mixin ClusterConnection connection;

  @Parameters(index = "0", arity = "0..1", paramLabel = "NODE", description = "One node.")
  String node;

  @Override
  public Integer call() throws Exception {
    ClusterClient client = connection.client();
    PrintWriter out = parent.cryo.spec.commandLine().getOut();
    if (node != null) {
      NodeFacts facts = client.node(node);
      out.println(ClusterJson.write(facts));
      return ExitCode.OK.code();
    }
    ClusterView view = client.view();
    ClusterTables.nodes(view, out);
    out.println();
    ClusterTables.programs(view, out);
    return ExitCode.OK.code();
  }
}
