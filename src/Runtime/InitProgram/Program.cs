return Berth.Runtime.Init.InitProcess.Main(args);
