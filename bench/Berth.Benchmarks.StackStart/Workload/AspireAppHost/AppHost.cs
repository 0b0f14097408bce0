var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = args, DisableDashboard = true });
var ports = (Environment.GetEnvironmentVariable("BENCH_PORTS") ?? "5101,5102,5103,5104,5105").Split(',').Select(int.Parse).ToArray();
builder.AddProject<Projects.Svc1>("svc1").WithHttpEndpoint(port: ports[0]);
builder.AddProject<Projects.Svc2>("svc2").WithHttpEndpoint(port: ports[1]);
builder.AddProject<Projects.Svc3>("svc3").WithHttpEndpoint(port: ports[2]);
builder.AddProject<Projects.Svc4>("svc4").WithHttpEndpoint(port: ports[3]);
builder.AddProject<Projects.Svc5>("svc5").WithHttpEndpoint(port: ports[4]);
builder.Build().Run();
