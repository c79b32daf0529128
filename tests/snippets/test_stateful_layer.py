"""Tests for snippets/stateful_layer.py (StatefulLayer, the article's CoucheAvecEtat)."""

import keras
import numpy as np
import pytest

from snippets import stateful_layer
from tests.snippets.layer_contract import check_layer_contract

StatefulLayer = stateful_layer.StatefulLayer


def _inputs(rows=4, features=3, seed=0):
    return np.random.default_rng(seed).normal(size=(rows, features)).astype("float32")


def _short_name(variable):
    # Keras 3: "w"; tf-keras 2: "stateful_layer/w:0".
    return variable.name.split("/")[-1].split(":")[0]


def _built(layer, features):
    # Build by calling: on tf-keras 2 a direct build() that does not call
    # super().build() leaves built False, and the first call builds again.
    layer(np.zeros((1, features), dtype="float32"))
    return layer


def test_one_trainable_weight_created_lazily_once():
    layer = StatefulLayer(units=5)
    assert not layer.built
    assert layer.weights == []

    y = layer(_inputs(features=3))
    assert tuple(y.shape) == (4, 5)
    assert layer.built
    assert len(layer.weights) == 1
    w = layer.weights[0]
    assert _short_name(w) == "w"
    assert tuple(w.shape) == (3, 5)
    assert layer.trainable_weights == [w]
    assert layer.non_trainable_weights == []

    layer(_inputs(rows=9, features=3, seed=1))
    assert len(layer.weights) == 1
    assert layer.weights[0] is w
    assert layer.w is w


def test_output_is_matmul_with_weight():
    layer = _built(StatefulLayer(units=2), 4)
    x = _inputs(rows=6, features=4)
    w = np.random.default_rng(5).normal(size=(4, 2)).astype("float32")
    layer.set_weights([w])
    np.testing.assert_allclose(np.asarray(layer(x)), x @ w, rtol=1e-5, atol=1e-6)


def test_random_normal_initialisation_is_small_and_centred():
    keras.utils.set_random_seed(0)
    layer = _built(StatefulLayer(units=100), 200)
    values = layer.w.numpy().ravel()
    assert np.any(values != 0)
    # keras.initializers.RandomNormal defaults: mean 0.0, stddev 0.05.
    assert abs(values.mean()) < 0.005
    assert values.std() == pytest.approx(0.05, rel=0.05)


def test_weight_is_trained_by_fit(claim):
    observe = claim("custom-trainable-weights")
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), StatefulLayer(units=1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    layer = model.layers[0]
    listed = [w is layer.w for w in layer.trainable_weights]
    observe.aspect("listed_trainable", holds=listed == [True], seen=f"{len(listed)} trainable weight(s)")
    before = layer.w.numpy().copy()
    x = _inputs(rows=32, features=3)
    model.fit(x, x.sum(axis=1, keepdims=True), epochs=1, batch_size=32, verbose=0)
    moved = float(np.abs(layer.w.numpy() - before).max())
    observe.aspect("fit_changes_it", holds=moved > 0, seen="changed by fit" if moved > 0 else "unchanged by fit")


def test_get_config_from_config_round_trip():
    layer = StatefulLayer(units=3, name="etat")
    config = layer.get_config()
    assert config["units"] == 3
    assert config["name"] == "etat"
    rebuilt = StatefulLayer.from_config(config)
    assert rebuilt.units == 3
    assert rebuilt.get_config() == config

    x = _inputs(features=2)
    layer(x)
    rebuilt(x)
    rebuilt.set_weights(layer.get_weights())
    np.testing.assert_array_equal(np.asarray(rebuilt(x)), np.asarray(layer(x)))


def test_keras_file_round_trip(tmp_path):
    model = keras.Sequential([keras.Input((3,)), StatefulLayer(units=2)])
    path = tmp_path / "stateful.keras"
    model.save(path)
    reloaded = keras.models.load_model(path)  # registered: no custom_objects
    assert isinstance(reloaded.layers[0], StatefulLayer)
    x = _inputs(features=3)
    np.testing.assert_array_equal(reloaded.predict(x, verbose=0), model.predict(x, verbose=0))


def _round_trip(layer_class, layer):
    """"works" when from_config(get_config()) rebuilds the layer, else the error's name."""
    try:
        rebuilt = layer_class.from_config(layer.get_config())
    except TypeError as error:
        return type(error).__name__
    return "works" if rebuilt.units == layer.units else "units lost"


class CoucheAvecEtat(StatefulLayer):
    # The source article's constructor: no **kwargs to pass on.
    def __init__(self, units):
        keras.layers.Layer.__init__(self)
        self.units = units


def test_init_without_kwargs_breaks_from_config(claim):
    observe = claim("get-config-serialization")
    fixed = _round_trip(StatefulLayer, StatefulLayer(4, name="etat"))
    observe.aspect("with_kwargs", holds=fixed == "works", seen=fixed)
    broken = _round_trip(CoucheAvecEtat, CoucheAvecEtat(4))
    observe.aspect("article_constructor", holds=broken == "works", seen=broken)


@keras.saving.register_keras_serializable(package="tests")
class NoConfigLayer(StatefulLayer):
    """StatefulLayer without its get_config(): Keras must find the config itself."""

    get_config = keras.layers.Layer.get_config


class ArticleConstructorNoConfig(keras.layers.Layer):
    """The article's constructor (no **kwargs), and no get_config() either."""

    def __init__(self, units):
        super().__init__()
        self.units = units


def test_layer_without_get_config_reloads(claim, tmp_path):
    observe = claim("get-config-required")
    model = keras.Sequential([keras.Input((3,)), NoConfigLayer(units=2)])
    path = tmp_path / "no_config.keras"
    model.save(path)
    x = _inputs(features=3)
    try:
        reloaded = keras.models.load_model(path)
    except TypeError as error:
        observe.aspect("forwarding_kwargs", holds=True, seen=type(error).__name__)
    else:
        same = np.array_equal(reloaded.predict(x, verbose=0), model.predict(x, verbose=0))
        observe.aspect("forwarding_kwargs", holds=not same,
                       seen="reloads, identical outputs" if same else "outputs differ")
    outcome = _round_trip(ArticleConstructorNoConfig, ArticleConstructorNoConfig(4))
    observe.aspect("article_constructor", holds=outcome != "works", seen=outcome)


def test_keras_layer_contract():
    # Without the mixed-precision part: tf.matmul, kept from the article
    # (claim tf-matmul-mixed-precision; the any-backend tab passes it).
    check_layer_contract(StatefulLayer, {"units": 2}, (2, 3), (2, 2), higher_rank_shape=(2, 5, 3),
                         mixed_precision=False)


def test_demo_creates_the_weight_once(capsys):
    layer = stateful_layer.demo()
    assert capsys.readouterr().out.splitlines() == ["(2, 4)", "True 1"]
    assert tuple(layer.w.shape) == (3, 4)


def test_article_constructor_cannot_be_rebuilt_from_its_config(capsys):
    """The page's failing form: the article's constructor refuses the `name` of its own config."""
    CoucheAvecEtat, config = stateful_layer.article_constructor()
    assert capsys.readouterr().out.splitlines() == [str(sorted(config))]
    assert {"name", "trainable", "dtype"} <= set(config) and config["units"] == 4
    with pytest.raises(TypeError, match="unexpected keyword argument 'name'"):
        stateful_layer.article_from_config(CoucheAvecEtat, config)


def test_round_trip_keeps_name_and_units(capsys):
    rebuilt = stateful_layer.round_trip()
    assert capsys.readouterr().out.splitlines() == ["state 4"]
    assert isinstance(rebuilt, StatefulLayer)
