import subprocess, sys, time, resource, statistics
# usage: median.py RUNS -- CMD... ; prints median wall and cpu (children user+sys)
runs = int(sys.argv[1]); cmd = sys.argv[3:]
walls, cpus = [], []
for _ in range(runs):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    walls.append(time.perf_counter() - t0)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpus.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
print(f"median wall {statistics.median(walls)*1000:.0f} ms, median cpu {statistics.median(cpus)*1000:.0f} ms  ({runs} runs)")
