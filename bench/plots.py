"""Plots of bench/results/*.json as PNGs under bench/results/plots/ (run by `pnpm bench plot`)."""

import json
import pathlib
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

RESULTS = pathlib.Path(__file__).parent / "results"
PLOTS = RESULTS / "plots"
ORDER = ["embedded", "fleet", "uws", "socketio", "centrifugo"]
LABEL = {
    "embedded": "platform (embedded)",
    "fleet": "platform (fleet)",
    "uws": "raw uWS (baseline)",
    "socketio": "Socket.IO (baseline)",
    "centrifugo": "Centrifugo (baseline)",
}
COLOR = {
    "embedded": "tab:blue",
    "fleet": "tab:purple",
    "uws": "tab:gray",
    "socketio": "tab:orange",
    "centrifugo": "tab:green",
}


def runs(scenario):
    found = {}
    for path in RESULTS.glob(f"{scenario}-*.json"):
        record = json.loads(path.read_text())
        if not record.get("smoke"):
            found[record["target"]] = record
    return [found[t] for t in ORDER if t in found]


def subtitle(records):
    loads = ", ".join(f"{r['target']} {r['loadavg_start'][0]}→{r['loadavg_end'][0]}" for r in records)
    return textwrap.fill(f"shared 2-core machine; load average (1 min) {loads}", 110)


def traffic(scenario, title):
    records = runs(scenario)
    if not records:
        return
    fig, axes = plt.subplots(1, 2, figsize=(13, 5), sharey=True)
    for record in records:
        steps = record["result"]["steps"]
        rates = [s["rate"] for s in steps]
        for axis, key in zip(axes, ["delivery_ms", "ack_ms"]):
            color = COLOR[record["target"]]
            axis.plot(rates, [s[key]["p99"] for s in steps], "o-", color=color, label=f"{LABEL[record['target']]} p99")
            axis.plot(rates, [s[key]["p50"] for s in steps], "s:", color=color, alpha=0.7, label=f"{LABEL[record['target']]} p50")
    for axis, what in zip(axes, ["send → delivery at every member", "send → ack"]):
        axis.axhline(100, color="red", linewidth=0.8, linestyle="--")
        axis.set_xscale("log", base=2)
        axis.set_yscale("log")
        axis.set_xlabel("offered load (messages/s, all senders)")
        axis.set_title(what)
        axis.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("latency (ms, from intended send time)")
    axes[1].legend(fontsize=7, loc="upper left")
    first = records[0]["result"]
    fig.suptitle(f"{title}: {first['connected']} connections, rooms of {first['room_size']}\n{subtitle(records)}", fontsize=9)
    fig.tight_layout()
    fig.savefig(PLOTS / f"{scenario}.png", dpi=110)
    plt.close(fig)


def history():
    records = runs("history")
    if not records:
        return
    record = records[0]
    result = record["result"]
    steps = result["steps"]
    rates = [s["rate"] for s in steps]
    fig, axis = plt.subplots(figsize=(7, 5))
    for key, style in [("p50", "s:"), ("p99", "o-"), ("p99_9", "^--")]:
        axis.plot(rates, [s["latency_ms"][key] for s in steps], style, color=COLOR["embedded"], label=f"REST page of 50, {key}")
    floor = result["read_model_in_process_ms"]
    axis.axhline(floor["p50"], color="gray", linestyle=":", label="read model in-process, p50 (floor)")
    axis.axhline(floor["p99"], color="gray", linestyle="-.", label="read model in-process, p99 (floor)")
    axis.axhline(100, color="red", linewidth=0.8, linestyle="--")
    axis.set_xscale("log", base=2)
    axis.set_yscale("log")
    axis.set_xlabel("offered load (requests/s)")
    axis.set_ylabel("latency (ms, from intended start)")
    axis.grid(True, which="both", alpha=0.3)
    axis.legend(fontsize=7)
    axis.set_title(f"History pages from a room of {result['messages']:,} messages (embedded)\n{subtitle(records)}", fontsize=9)
    fig.tight_layout()
    fig.savefig(PLOTS / "history.png", dpi=110)
    plt.close(fig)


def storm():
    records = runs("storm")
    if not records:
        return
    fig, axis = plt.subplots(figsize=(9, 5))
    keys = ["p50", "p90", "p99", "max"]
    width = 0.8 / len(records)
    for index, record in enumerate(records):
        summary = record["result"]["authenticated_ms"]
        xs = [k + index * width for k in range(len(keys))]
        axis.bar(xs, [summary[k] for k in keys], width, color=COLOR[record["target"]], label=LABEL[record["target"]])
    axis.set_xticks([k + 0.4 - width / 2 for k in range(len(keys))], keys)
    axis.set_ylabel("start of storm → authenticated (ms)")
    clients = records[0]["result"]["clients"]
    axis.set_title(f"{clients:,} clients connecting and authenticating at once\n{subtitle(records)}", fontsize=9)
    axis.legend(fontsize=8)
    axis.grid(True, axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(PLOTS / "storm.png", dpi=110)
    plt.close(fig)


def idle():
    records = runs("idle")
    if not records:
        return
    fig, axes = plt.subplots(1, 2, figsize=(13, 5))
    for record in records:
        samples = record["result"]["samples"]
        color = COLOR[record["target"]]
        conns = [s["connections"] for s in samples]
        axes[0].plot(conns, [s["rss_kib"] / 1024 for s in samples], "o-", color=color, label=LABEL[record["target"]])
        heap = [(s["connections"], s["heap_bytes"]) for s in samples if s["heap_bytes"] is not None]
        if heap:
            axes[1].plot([c for c, _ in heap], [h / 2**20 for _, h in heap], "o-", color=color, label=LABEL[record["target"]])
    axes[0].set_ylabel("gateway RSS (MiB, /proc/<pid>/status)")
    axes[1].set_ylabel("gateway heap in use (MiB: V8 heapUsed, Go heap_inuse)")
    for axis in axes:
        axis.set_xlabel("idle authenticated connections")
        axis.grid(True, alpha=0.3)
        axis.legend(fontsize=8)
    fig.suptitle(f"Memory against idle connections\n{subtitle(records)}", fontsize=9)
    fig.tight_layout()
    fig.savefig(PLOTS / "idle.png", dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    PLOTS.mkdir(parents=True, exist_ok=True)
    traffic("fanout", "Fan-out")
    traffic("persist", "The persisted path")
    history()
    storm()
    idle()
    print(f"plots written to {PLOTS}")
