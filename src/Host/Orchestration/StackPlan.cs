namespace Berth.Host.Orchestration;

/// <summary>Every service that runs, ready to start, and how they depend on each other.</summary>
internal sealed record StackPlan(IReadOnlyList<ServicePlan> Services, DependencyGraph Dependencies);
