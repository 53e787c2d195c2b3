using Meg.Imaging;

namespace Meg.Quality.Tests;

/// <summary>Agreement with the values data/make_reference.py computed with scikit-image and numpy.</summary>
public class ScikitImageAgreementTests
{
    private const double Tolerance = 1e-3;

    public static TheoryData<string, string> Pairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var pair in TestData.Pairs)
        {
            data.Add(pair.Reference, pair.Distorted);
        }

        return data;
    }

    private static (ReferencePair Pair, RgbImage A, RgbImage B) Load(string reference, string distorted) =>
        (TestData.Pairs.Single(p => p.Reference == reference && p.Distorted == distorted), TestData.Load(reference), TestData.Load(distorted));

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Psnr_matches_scikit_image(string reference, string distorted)
    {
        var (pair, a, b) = Load(reference, distorted);
        double psnr = Psnr.Compute(a, b);
        if (pair.Psnr is null)
        {
            Assert.Equal(double.PositiveInfinity, psnr);
        }
        else
        {
            Assert.InRange(psnr, pair.Psnr.Value - Tolerance, pair.Psnr.Value + Tolerance);
        }
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Ssim_matches_scikit_image(string reference, string distorted)
    {
        var (pair, a, b) = Load(reference, distorted);
        Assert.InRange(Ssim.Compute(a, b), pair.Ssim - Tolerance, pair.Ssim + Tolerance);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Ms_ssim_matches_the_numpy_reference_of_the_documented_definition(string reference, string distorted)
    {
        var (pair, a, b) = Load(reference, distorted);
        Assert.InRange(MsSsim.Compute(a, b), pair.MsSsimMeg - Tolerance, pair.MsSsimMeg + Tolerance);
    }

    [Fact]
    public void Ms_ssim_matches_the_pytorch_msssim_port_on_images_large_enough_for_it()
    {
        var large = TestData.Pairs.Where(p => p.MsSsimPytorch is not null).ToList();
        Assert.NotEmpty(large);
        foreach (var pair in large)
        {
            double value = MsSsim.Compute(TestData.Load(pair.Reference), TestData.Load(pair.Distorted));
            Assert.InRange(value, pair.MsSsimPytorch!.Value - Tolerance, pair.MsSsimPytorch.Value + Tolerance);
        }
    }

    [Fact]
    public void Image_quality_gives_the_same_three_numbers_as_the_separate_measures()
    {
        var (_, a, b) = Load("wide.png", "wide_noise10.png");
        var quality = ImageQuality.Measure(a, b);
        Assert.Equal(Psnr.Compute(a, b), quality.Psnr, 12);
        Assert.Equal(Ssim.Compute(a, b), quality.Ssim, 12);
        Assert.Equal(MsSsim.Compute(a, b), quality.MsSsim, 12);
    }
}
