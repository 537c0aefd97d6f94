import numpy as np

from grader import store


def test_round_trip_is_exact(tmp_path):
    rng = np.random.default_rng(3)
    rng.standard_normal(5)  # a generator mid-stream
    value = {"inputs": {"x": np.arange(6.0).reshape(2, 3), "rng": rng, "dims": [3, 4],
                        "scale": 0.1 + 0.2, "activation": "relu"},
             "expected": (np.float64(1 / 3), [np.ones((2, 1))], None, True)}
    store.save(tmp_path / "t.npz", value)
    back = store.load(tmp_path / "t.npz")
    assert back["inputs"]["dims"] == [3, 4] and back["inputs"]["scale"] == 0.1 + 0.2
    assert back["expected"][0] == 1 / 3 and isinstance(back["expected"], tuple)
    assert np.array_equal(back["inputs"]["x"], value["inputs"]["x"])
    assert np.array_equal(back["inputs"]["rng"].standard_normal(4), rng.standard_normal(4))
    assert back["expected"][2:] == (None, True)
