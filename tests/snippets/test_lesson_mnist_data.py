"""The lesson's MNIST loading code, and the offline sample the site runs on.

No network here: ``load_mnist`` is fed either fake arrays or the offline sample,
never ``keras.datasets.mnist.load_data()`` itself.
"""

import inspect

import keras
import numpy as np
import pytest

from snippets.lesson_mnist_data import load_mnist, load_mnist_sample, load_offline


def _fake_images(n, offset):
    """uint8 images whose pixel (r, c) of image i is (28 * r + c + offset + i) % 256."""
    index = np.arange(28 * 28).reshape(28, 28)
    return np.stack([(index + offset + i) % 256 for i in range(n)]).astype("uint8")


def _fake_load_data():
    x_train = _fake_images(3, offset=0)
    x_train[0] = 0  # an all-black image
    x_train[1] = 255  # an all-white image
    x_test = _fake_images(2, offset=100)
    y_train = np.array([7, 0, 9], dtype="uint8")
    y_test = np.array([3, 5], dtype="uint8")
    return (x_train, y_train), (x_test, y_test)


def test_load_mnist_downloads_with_keras_by_default():
    default = inspect.signature(load_mnist).parameters["load_data"].default
    assert default is keras.datasets.mnist.load_data


def test_load_mnist_flattens_and_scales_to_unit_floats():
    (x_train, y_train), (x_test, y_test) = load_mnist(load_data=_fake_load_data)
    (_, raw_y_train), (_, raw_y_test) = _fake_load_data()

    # Train stays train, test stays test (different sizes tell them apart).
    assert x_train.shape == (3, 784)
    assert x_test.shape == (2, 784)
    assert x_train.dtype == np.float32
    assert x_test.dtype == np.float32
    for x in (x_train, x_test):
        assert x.min() >= 0.0 and x.max() <= 1.0

    # 0 -> 0.0 and 255 -> exactly 1.0.
    np.testing.assert_array_equal(x_train[0], np.zeros(784, dtype="float32"))
    np.testing.assert_array_equal(x_train[1], np.ones(784, dtype="float32"))
    # Pixel (r, c) becomes feature 28 * r + c, with value v / 255.
    k = np.arange(784)
    np.testing.assert_allclose(x_train[2], ((k + 2) % 256) / 255, rtol=1e-6)
    np.testing.assert_allclose(x_test[0], ((k + 100) % 256) / 255, rtol=1e-6)
    np.testing.assert_allclose(x_test[1], ((k + 101) % 256) / 255, rtol=1e-6)
    assert x_train[2][51 - 2] == pytest.approx(0.2)  # 51 / 255

    # Labels are handed back untouched.
    np.testing.assert_array_equal(y_train, raw_y_train)
    np.testing.assert_array_equal(y_test, raw_y_test)
    assert y_train.dtype == raw_y_train.dtype
    assert y_test.dtype == raw_y_test.dtype


def test_offline_sample_has_keras_mnist_format():
    (x_train, y_train), (x_test, y_test) = load_mnist_sample()
    assert x_train.shape == (4000, 28, 28)
    assert x_test.shape == (1000, 28, 28)
    assert x_train.dtype == np.uint8 and x_test.dtype == np.uint8
    assert y_train.shape == (4000,) and y_test.shape == (1000,)
    assert np.issubdtype(y_train.dtype, np.integer)
    assert x_train.max() == 255  # raw pixel values, not yet scaled


def test_offline_sample_through_load_mnist(lesson_digits):
    (x_train, y_train), (x_test, y_test) = lesson_digits
    assert x_train.shape == (4000, 784)
    assert x_test.shape == (1000, 784)
    assert y_train.shape == (4000,)
    assert y_test.shape == (1000,)
    for x in (x_train, x_test):
        assert x.dtype == np.float32
        assert x.min() == 0.0 and x.max() == 1.0

    # Every digit 0..9 in both splits, and nothing else.
    assert set(np.unique(y_train)) == set(range(10))
    assert set(np.unique(y_test)) == set(range(10))

    # No image is both a training and a test image.
    train_rows = {row.tobytes() for row in x_train}
    test_rows = {row.tobytes() for row in x_test}
    assert not train_rows & test_rows


def test_offline_sample_is_deterministic():
    first = load_mnist(load_data=load_mnist_sample)
    second = load_mnist(load_data=load_mnist_sample)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])
    # The split comes from the seed: another seed gives another test set.
    (_, _), (other_test, _) = load_mnist_sample(seed=1)
    assert not np.array_equal(other_test, load_mnist_sample()[1][0])


def test_offline_sample_looks_like_labelled_digits(lesson_digits):
    (x_train, y_train), (x_test, y_test) = lesson_digits
    # Dark background, some ink: MNIST averages about 0.13.
    assert 0.05 < x_train.mean() < 0.25
    assert 0.05 < x_test.mean() < 0.25
    assert (x_train.reshape(len(x_train), -1).max(axis=1) > 0.5).all()  # no blank image

    # Digits sit in the middle of the 28 x 28 frame; the border is almost empty.
    images = x_train.reshape(-1, 28, 28)
    border = np.concatenate(
        [images[:, :3].ravel(), images[:, -3:].ravel(), images[:, :, :3].ravel(), images[:, :, -3:].ravel()]
    )
    assert border.mean() < 0.02
    # The four corner pixels are blank in every one of the 5,000 digits (a
    # label or an off-by-one column slipping into the pixels would show there).
    for x in (x_train, x_test):
        corners = x.reshape(-1, 28, 28)[:, [0, 0, -1, -1], [0, -1, 0, -1]]
        assert (corners == 0.0).all()
    assert images[:, 8:20, 8:20].mean() > 0.2

    # Rows of pixels stay rows: the average "1" is a tall, narrow stroke
    # (about 20 rows of ink by 7 columns), not a wide, flat one.
    ones = images[y_train == 1].mean(axis=0)
    inked_rows = (ones.sum(axis=1) > 0.3 * ones.sum(axis=1).max()).sum()
    inked_columns = (ones.sum(axis=0) > 0.3 * ones.sum(axis=0).max()).sum()
    assert inked_rows > 2 * inked_columns

    # Labels go with their images: the nearest class-average image of the
    # training set already recognises most test digits (chance: 10 %).
    centroids = np.stack([x_train[y_train == k].mean(axis=0) for k in range(10)])
    distances = ((x_test[:, None, :] - centroids[None]) ** 2).sum(axis=-1)
    assert (distances.argmin(axis=1) == y_test).mean() > 0.7


def test_the_pages_loading_step_prints_both_splits(capsys):
    """The page's block loads the offline sample through the lesson's load_mnist and prints the arrays' shapes."""
    (x_train, y_train), (x_test, y_test) = load_offline()
    assert capsys.readouterr().out.splitlines() == [
        "(4000, 784) float32 (4000,)",
        "(1000, 784) float32 (1000,)",
    ]
    (expected_x_train, expected_y_train), (expected_x_test, expected_y_test) = load_mnist(load_data=load_mnist_sample)
    np.testing.assert_array_equal(x_train, expected_x_train)
    np.testing.assert_array_equal(y_train, expected_y_train)
    np.testing.assert_array_equal(x_test, expected_x_test)
    np.testing.assert_array_equal(y_test, expected_y_test)
