using BenchmarkDotNet.Running;
using Berth.Benchmarks.Workloads;

namespace Berth.Benchmarks;

public static class Program
{
    /// <summary>
    /// <c>--workload</c> describes and checks the inputs (sizes, output, that everything compiles); anything else
    /// goes to BenchmarkDotNet, e.g. <c>--filter '*'</c>.
    /// </summary>
    public static int Main(string[] args)
    {
        if (args is ["--workload"])
        {
            return WorkloadReport.Print();
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
